import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeSample } from '../test/support/media.js';
import { startSeaweedfs } from '../test/support/seaweedfs.js';
import { mediaCookie } from './hlsSegmentBench.js';
import { compareRates } from './measure.js';
import { publishConf } from './publishConf.js';
import type { Row } from './row.js';
import { publishApi } from './transcodeBench.js';
import { terminateUpload, tusUploadFile } from './tusClient.js';
import { bearerToken, startPlatform, startWorker, type Defer, type Platform } from './platformFixture.js';

/** BENCH_SAMPLE_SECONDS shortens the samples for a quick check of the bench itself; its figures are not the benchmark's. */
const SAMPLE_SECONDS = Number(process.env.BENCH_SAMPLE_SECONDS ?? 20);
/** Files transcoded at once per measurement: enough for two workers to keep busy. */
const BATCH = 4;
const UPLOAD_BYTES = 128 * 1024 * 1024;
const UPLOAD_ROUNDS = 2;
const POLL_MS = 250;
const GIVE_UP_MS = 20 * 60_000;
const SEGMENT_PATH = (uuid: string) => `/publish/${uuid}/360p/seg_00000.ts`;

/** Finalizes uploads and waits until every file is ready: the seconds from the first finalize to the last ready. */
async function transcodeAll(platform: Platform, token: string, uploadUrls: string[]): Promise<{ seconds: number; uuids: string[] }> {
  const started = performance.now();
  const links = await Promise.all(uploadUrls.map((url) => publishApi<{ ID: number; UUID: string }>(platform, token, 'POST', `/uploads/${url.split('/').pop()}/finalize`)));
  for (const link of links) {
    for (;;) {
      const { Qualitys } = await publishApi<{ Qualitys: { Ready: boolean; Failed: boolean }[] }>(platform, token, 'GET', `/file?LinkID=${link.ID}`);
      if (Qualitys.some((q) => q.Failed)) throw new Error(`transcoding file ${link.ID} failed`);
      if (Qualitys.length && Qualitys.every((q) => q.Ready)) break;
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`file ${link.ID} was not ready after ${GIVE_UP_MS / 60_000} minutes`);
      await sleep(POLL_MS);
    }
  }
  return { seconds: (performance.now() - started) / 1000, uuids: links.map((l) => l.UUID) };
}

/** BATCH distinct 720p samples (lengths differ, so none is deduplicated into another's transcode), uploaded, not finalized. */
async function uploadBatch(defer: Defer, platform: Platform, token: string, batch: number): Promise<{ urls: string[]; sourceSeconds: number }> {
  const seconds = Array.from({ length: BATCH }, (_, i) => SAMPLE_SECONDS + batch * BATCH * 0.2 + i * 0.2);
  const samples = await Promise.all(seconds.map((s) => makeSample({ seconds: s, width: 1280, height: 720 })));
  for (const sample of samples) defer(() => rm(path.dirname(sample), { recursive: true, force: true }));
  const urls = [];
  for (const sample of samples) urls.push(await tusUploadFile(platform.url, token, sample));
  return { urls, sourceSeconds: seconds.reduce((a, b) => a + b, 0) };
}

async function randomFile(defer: Defer, bytes: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-scale-'));
  defer(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'random.bin');
  async function* chunks() {
    for (let written = 0; written < bytes; written += 8 * 1024 * 1024) yield randomBytes(Math.min(8 * 1024 * 1024, bytes - written));
  }
  await pipeline(chunks(), createWriteStream(file));
  return file;
}

async function uploadRate(platform: Platform, token: string, file: string): Promise<number> {
  const started = performance.now();
  const url = await tusUploadFile(platform.url, token, file);
  const rate = UPLOAD_BYTES / 1e6 / ((performance.now() - started) / 1000);
  await terminateUpload(url, token);
  return rate;
}

/**
 * Scale-out figures, each against a baseline measured in the same run: transcoding throughput (source seconds per wall
 * second) with 2 worker processes against 1, and a platform on S3 storage (SeaweedFS) against one on local disk for
 * a tus upload and for serving an HLS segment.
 */
export async function scaleOutBench(defer: Defer): Promise<Row[]> {
  const s3 = await startSeaweedfs('mediahost-bench-scale');
  defer(() => s3.stop());
  const conf = { 'publishConf.json': { ...publishConf, transcodeConcurrency: 1 } };
  const local = await startPlatform(defer, { plugins: ['publish'], scopes: ['publish'], confFiles: conf, backOffice: true, server: { jobs: { runIn: [], pollIntervalMs: 200 } } });
  const bucket = await startPlatform(defer, { plugins: ['publish'], scopes: ['publish'], confFiles: conf, backOffice: true, server: { storage: s3.settings, jobs: { pollIntervalMs: 200 } } });
  const [localToken, bucketToken] = [await bearerToken(local), await bearerToken(bucket)];

  process.stderr.write(`measuring transcode throughput of ${BATCH} ${SAMPLE_SECONDS} s 720p files with 1 worker, then 2…\n`);
  await startWorker(defer, local);
  const first = await uploadBatch(defer, local, localToken, 0);
  const one = await transcodeAll(local, localToken, first.urls);
  await startWorker(defer, local);
  const second = await uploadBatch(defer, local, localToken, 1);
  const two = await transcodeAll(local, localToken, second.urls);

  process.stderr.write(`measuring a ${UPLOAD_BYTES / 1048576} MiB tus upload, S3 against local storage…\n`);
  const file = await randomFile(defer, UPLOAD_BYTES);
  const uploads = { s3: 0, local: 0 };
  for (let round = 0; round < UPLOAD_ROUNDS; round++) {
    uploads.local = Math.max(uploads.local, await uploadRate(local, localToken, file));
    uploads.s3 = Math.max(uploads.s3, await uploadRate(bucket, bucketToken, file));
  }

  process.stderr.write('measuring GET of an HLS segment, S3 against local storage…\n');
  const [uuid] = (await transcodeAll(bucket, bucketToken, [(await uploadBatch(defer, bucket, bucketToken, 2)).urls[0]!])).uuids;
  const localUuid = one.uuids[0]!;
  const request = async (platform: Platform, id: string) => ({ method: 'GET' as const, path: SEGMENT_PATH(id), headers: { cookie: await mediaCookie(platform.appUrl!, id) } });
  const rates = await compareRates(
    { url: bucket.appUrl!, request: await request(bucket, uuid!), pid: bucket.appPid },
    { url: local.appUrl!, request: await request(local, localUuid), pid: local.appPid },
  );

  const rows: Row[] = [
    { name: `transcode throughput, ${BATCH} × ${SAMPLE_SECONDS} s 720p: 2 workers vs 1`, unit: 'src-s/s', ours: second.sourceSeconds / two.seconds, baseline: first.sourceSeconds / one.seconds, digits: 2 },
    { name: `tus upload ${UPLOAD_BYTES / 1048576} MiB: S3 (SeaweedFS) vs local storage`, unit: 'MB/s', ours: uploads.s3, baseline: uploads.local, digits: 1 },
    { name: 'GET HLS segment 360p: S3 (SeaweedFS) vs local storage', unit: 'req/s', ours: rates.ours, baseline: rates.baseline },
  ];
  if (rates.perCpuSecond) rows.push({ name: 'GET HLS segment 360p: S3 (SeaweedFS) vs local storage', unit: 'req/cpu-s', ...rates.perCpuSecond });
  return rows;
}
