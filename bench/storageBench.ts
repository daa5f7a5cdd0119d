import { randomBytes } from 'node:crypto';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalStorage } from '../core/src/storage/localStorage.js';
import { createS3Client, S3Storage } from '../core/src/storage/s3Storage.js';
import type { Storage } from '../core/src/storage/storage.js';
import { startSeaweedfs } from '../test/support/seaweedfs.js';
import { tempDir } from '../test/support/tempDir.js';
import type { Defer } from './platformFixture.js';
import type { Row } from './row.js';

const SEGMENT_BYTES = 188 * 1024;
const UPLOAD_BYTES = 32 * 1024 * 1024;
const READERS = 10;
const READ_SECONDS = 3;
const ROUNDS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Whole reads of one segment per second, READERS at a time, as the media route does for each request. */
async function readRate(storage: Storage, key: string): Promise<number> {
  let reads = 0;
  const until = performance.now() + READ_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (performance.now() < until) {
        if (!(await storage.stat(key))) throw new Error(`${key} is missing`);
        for await (const _chunk of await storage.read(key));
        reads += 1;
      }
    }),
  );
  return reads / READ_SECONDS;
}

/**
 * Seconds to move a finished upload of UPLOAD_BYTES into the store, as ingest does with a source. On local disk that
 * is a rename of no measurable cost, so the baseline writes the bytes instead (a copy to the store's disk).
 */
async function storeSeconds(storage: Storage | 'copy', dir: string, round: number): Promise<number> {
  const file = path.join(dir, `upload-${round}.bin`);
  await writeFile(file, randomBytes(UPLOAD_BYTES));
  const started = performance.now();
  if (storage === 'copy') await copyFile(file, `${file}.copy`);
  else await storage.putFile(`files/bench-${round}/source.mkv`, file);
  const seconds = (performance.now() - started) / 1000;
  await rm(file, { force: true });
  await rm(`${file}.copy`, { force: true });
  return seconds;
}

/** The S3 backend (SeaweedFS on loopback) against local disk, through the Storage calls the platform uses, in turns. */
export async function storageBench(defer: Defer): Promise<Row[]> {
  const s3 = await startSeaweedfs('mediahost-bench');
  defer(() => s3.stop());
  const root = await tempDir('storage-bench-');
  defer(() => rm(root, { recursive: true, force: true }));
  const client = createS3Client(s3.settings);
  defer(async () => client.destroy());
  const local = new LocalStorage(path.join(root, 'local'));
  const bucket = new S3Storage(client, s3.settings, 'publish', path.join(root, 's3-staging'), path.join(root, 'scratch'));
  const segment = path.join(root, 'seg.ts');
  for (const storage of [local, bucket]) {
    await writeFile(segment, randomBytes(SEGMENT_BYTES));
    await storage.putFile('files/x/media/360p/seg_00000.ts', segment);
  }

  process.stderr.write('measuring segment reads and upload stores, S3 against local disk…\n');
  const reads = { s3: [] as number[], local: [] as number[] };
  const stores = { s3: [] as number[], local: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    reads.local.push(await readRate(local, 'files/x/media/360p/seg_00000.ts'));
    reads.s3.push(await readRate(bucket, 'files/x/media/360p/seg_00000.ts'));
    stores.local.push(await storeSeconds('copy', root, round));
    stores.s3.push(await storeSeconds(bucket, root, round));
  }
  return [
    { name: `storage: read a ${SEGMENT_BYTES / 1024} KiB segment, S3 (SeaweedFS) vs local`, unit: 'reads/s', ours: median(reads.s3), baseline: median(reads.local) },
    { name: `storage: store a ${UPLOAD_BYTES / 1048576} MiB upload, S3 (SeaweedFS) vs a local copy`, unit: 's', ours: median(stores.s3), baseline: median(stores.local), digits: 3 },
  ];
}
