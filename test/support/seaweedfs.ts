import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client, type S3Settings } from '../../core/src/storage/s3Storage.js';
import { freePort } from './ports.js';
import { track } from './serverProcesses.js';
import { tempDir } from './tempDir.js';
import { ensureWeedBinary } from './seaweedfsBinary.js';

export interface S3Server {
  /** What serverConf.json `storage` takes, bucket included (created). */
  settings: S3Settings & { type: 's3' };
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A SeaweedFS server of its own on loopback (master, volume, filer and S3 gateway in one `weed server -s3`), with one
 * S3 identity of random keys and one bucket. Every port is chosen free and given explicitly: weed would otherwise
 * derive its gRPC ports from the HTTP ones and use fixed defaults (Iceberg catalog, filer socket in /tmp).
 */
export async function startSeaweedfs(bucket = 'mediahost-test'): Promise<S3Server> {
  const weed = await ensureWeedBinary();
  const dir = await tempDir('seaweedfs-');
  await mkdir(path.join(dir, 'data'));
  const accessKeyId = `test${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('hex');
  const s3Config = path.join(dir, 's3.json');
  await writeFile(
    s3Config,
    JSON.stringify({ identities: [{ name: 'mediahost', credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }], actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'] }] }),
    { mode: 0o600 },
  );
  const port = async () => String(await freePort());
  const s3Port = await port();
  // Its logs go to stderr (kept for the error message) and nowhere else: glog would write files into TMPDIR.
  const args = [
    '-logtostderr', 'server', '-ip=127.0.0.1', '-ip.bind=127.0.0.1', `-dir=${path.join(dir, 'data')}`,
    `-master.port=${await port()}`, `-master.port.grpc=${await port()}`, '-master.telemetry=false', '-master.volumeSizeLimitMB=64',
    `-volume.port=${await port()}`, `-volume.port.grpc=${await port()}`, '-volume.max=16',
    '-filer', `-filer.port=${await port()}`, `-filer.port.grpc=${await port()}`, `-filer.localSocket=${path.join(dir, 'filer.sock')}`,
    '-s3', `-s3.port=${s3Port}`, `-s3.port.grpc=${await port()}`, '-s3.port.iceberg=0', `-s3.config=${s3Config}`,
  ];
  const child = track(spawn(weed, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const settings = { type: 's3' as const, endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', bucket, accessKeyId, secretAccessKey, forcePathStyle: true };
  const client = createS3Client(settings);
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  // Ready once the gateway answers signed requests and a bucket can be made (the filer and a volume must be up for that).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`weed exited with ${child.exitCode}:\n${output}`);
    try {
      await client.send(new ListBucketsCommand({}));
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      break;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`SeaweedFS did not become ready in 60 s (${name}: ${(error as Error).message}):\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { settings, process: child, stop };
}

/** What a test reads of the bucket, to see where the platform put things. */
export interface BucketReader {
  /** The keys below a prefix. */
  objects(prefix: string): Promise<string[]>;
  objectBytes(key: string): Promise<Buffer>;
  destroy(): void;
}

export function bucketReader({ settings }: S3Server): BucketReader {
  const client = createS3Client(settings);
  return {
    objects: async (prefix) => ((await client.send(new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!),
    objectBytes: async (key) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key }))).Body!.transformToByteArray()),
    destroy: () => client.destroy(),
  };
}
