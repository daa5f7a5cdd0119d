import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFoundError } from '../errors.js';
import { filesBelow } from './linkTree.js';
import { LocalStorage } from './localStorage.js';
import { withScratchDir } from './scratch.js';
import { normalizeKey } from './storageKeys.js';
import type { BucketLocation, ByteRange, S3ClientSettings, Storage, StoredObject } from './storage.js';

export interface S3Settings {
  /** Omitted for AWS itself; the URL of any other S3-compatible server. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** http://host/bucket/key rather than http://bucket.host/key: what most S3-compatible servers need. */
  forcePathStyle: boolean;
}

/** Objects transferred at once by the tree operations. */
const PARALLEL = 4;
/** S3's limit on the keys of one DeleteObjects call. */
const DELETE_BATCH = 1000;

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
}

export function s3ClientSettings(settings: S3Settings): S3ClientSettings {
  return {
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Checksums only where S3 demands them: several S3-compatible servers refuse the SDK's newer default ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** One client per endpoint and key for the whole process: each plugin's storage shares its connections. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client(s3ClientSettings(settings));
}

/**
 * A plugin's media in an S3-compatible bucket, below `<plugin>/`. Every key is normalized first, so none climbs out
 * of the plugin's space. `resolve` and `ensureDir` stay on this machine's disk (`localRoot`), for a process's own staging.
 */
export class S3Storage implements Storage {
  readonly kind = 's3' as const;
  private readonly local: LocalStorage;
  private readonly bucketName: string;

  constructor(
    private readonly client: S3Client,
    private readonly settings: S3Settings,
    private readonly prefix: string,
    localRoot: string,
    /** Where fetched inputs and work in progress go: this process's own folder (scratchRootOf). */
    private readonly scratchRoot: string,
  ) {
    this.local = new LocalStorage(localRoot);
    this.bucketName = settings.bucket;
  }

  bucket(): BucketLocation {
    return { clientConfig: s3ClientSettings(this.settings), bucket: this.bucketName, prefix: this.prefix };
  }

  get root(): string {
    return this.local.root;
  }

  resolve(relativePath: string): string {
    return this.local.resolve(relativePath);
  }

  ensureDir(relativePath: string): Promise<string> {
    return this.local.ensureDir(relativePath);
  }

  private objectKey(key: string): string {
    const normalized = normalizeKey(key);
    if (!normalized) throw new NotFoundError('File not found');
    return `${this.prefix}/${normalized}`;
  }

  /** The object keys below a key taken as a folder. */
  private async objectsBelow(key: string): Promise<string[]> {
    const normalized = normalizeKey(key);
    const folder = normalized ? `${this.prefix}/${normalized}/` : `${this.prefix}/`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucketName, Prefix: folder, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private relative(objectKey: string): string {
    return objectKey.slice(this.prefix.length + 1);
  }

  async remove(relativePath: string): Promise<void> {
    const exact = this.objectKey(relativePath);
    const keys = [exact, ...(await this.objectsBelow(relativePath))];
    await this.local.remove(relativePath);
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
      const result = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucketName, Delete: { Objects: batch, Quiet: true } }));
      const failed = (result.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length) throw new Error(`Could not delete ${failed.length} object(s) below ${relativePath}: ${failed[0]!.Code} ${failed[0]!.Message}`);
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    // lib-storage sends a large file in parts, several at once, and a small one in a single PUT.
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucketName, Key: this.objectKey(key), Body: createReadStream(localPath) } });
    await upload.done();
    await rm(localPath, { force: true });
  }

  async putTree(prefix: string, localDir: string): Promise<void> {
    const base = normalizeKey(prefix);
    if (!base) throw new NotFoundError('File not found');
    const files = await filesBelow(localDir);
    const incoming = new Set(files.map((file) => `${this.prefix}/${base}/${file}`));
    await inParallel(files, (file) => this.putFile(`${base}/${file}`, path.join(localDir, file)));
    // Whatever was stored there before and is not part of the new tree goes, as the local folder it replaces would.
    const stale = (await this.objectsBelow(base)).filter((key) => !incoming.has(key));
    for (let i = 0; i < stale.length; i += DELETE_BATCH) {
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucketName, Delete: { Objects: stale.slice(i, i + DELETE_BATCH).map((Key) => ({ Key })), Quiet: true } }));
    }
    await rm(localDir, { recursive: true, force: true });
  }

  private async body(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucketName, Key: this.objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      return result.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('File not found');
      throw error;
    }
  }

  async getFile(key: string, localPath: string): Promise<void> {
    await pipeline(await this.body(key), createWriteStream(localPath));
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0), etag: head.ETag ?? `"${head.ContentLength ?? 0}"` };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  read(key: string, range?: ByteRange): Promise<Readable> {
    return this.body(key, range);
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.objectsBelow(prefix)).map((key) => this.relative(key));
  }

  async copy(from: string, to: string): Promise<void> {
    const source = this.objectKey(from);
    try {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucketName, Key: this.objectKey(to), CopySource: `${this.bucketName}/${source.split('/').map(encodeURIComponent).join('/')}` }),
      );
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('File not found');
      throw error;
    }
  }

  async copyTree(from: string, to: string): Promise<void> {
    const source = normalizeKey(from);
    const target = normalizeKey(to);
    if (!source || !target) throw new NotFoundError('File not found');
    await this.remove(target);
    const keys = await this.objectsBelow(source);
    await inParallel(keys, (key) => this.copy(this.relative(key), `${target}/${this.relative(key).slice(source.length + 1)}`));
  }

  withScratch<T>(label: string, use: (dir: string) => Promise<T>): Promise<T> {
    return withScratchDir(this.scratchRoot, label, use);
  }

  async useLocalCopy<T>(key: string, use: (localPath: string) => Promise<T>): Promise<T> {
    return withScratchDir(this.scratchRoot, 'input', async (dir) => {
      const file = path.join(dir, path.posix.basename(normalizeKey(key)));
      await this.getFile(key, file);
      return use(file);
    });
  }
}
