import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeSample } from '../test/support/media.js';
import { bareTranscode } from './bareTranscode.js';
import { publishConf } from './publishConf.js';
import type { Row } from './row.js';
import { tusUploadFile } from './tusClient.js';
import type { Defer, WebService } from './platformFixture.js';

/** BENCH_SAMPLE_SECONDS shortens the sample for a quick check of the bench itself; its figures are not the benchmark's. */
const SAMPLE_SECONDS = Number(process.env.BENCH_SAMPLE_SECONDS ?? 60);
const POLL_MS = 250;
/** Far above the slowest expected run: only there to fail instead of hanging if a job never finishes. */
const GIVE_UP_MS = 20 * 60_000;

interface Quality {
  Name: string;
  Ready: boolean;
  Failed: boolean;
}

/** Calls the publish API; a 503 (the embedded database busy on a loaded machine) is asked again after its Retry-After, as a client does. */
export async function publishApi<T>(ws: WebService, token: string, method: string, apiPath: string): Promise<T> {
  const started = performance.now();
  for (;;) {
    const response = await fetch(`${ws.url}/publish/api${apiPath}`, { method, headers: { authorization: `Bearer ${token}` } });
    if (response.status === 503 && performance.now() - started < GIVE_UP_MS) {
      await response.arrayBuffer();
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    if (!response.ok) throw new Error(`${method} /publish/api${apiPath} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

/** Finalizes an upload and polls the file until every quality is Ready: the seconds that took, and the file's UUID. */
async function ourTranscode(ws: WebService, token: string, uploadUrl: string): Promise<{ seconds: number; uuid: string }> {
  const expected = publishConf.qualities.map((q) => q.name).join(',');
  const started = performance.now();
  const link = await publishApi<{ ID: number; UUID: string }>(ws, token, 'POST', `/uploads/${uploadUrl.split('/').pop()}/finalize`);
  for (;;) {
    const { Qualitys } = await publishApi<{ Qualitys: Quality[] }>(ws, token, 'GET', `/file?LinkID=${link.ID}`);
    if (Qualitys.map((q) => q.Name).join(',') !== expected) throw new Error(`file ${link.ID} has qualities ${Qualitys.map((q) => q.Name).join(',')}, not ${expected}`);
    if (Qualitys.some((q) => q.Failed)) throw new Error(`transcoding file ${link.ID} failed`);
    if (Qualitys.every((q) => q.Ready)) return { seconds: (performance.now() - started) / 1000, uuid: link.UUID };
    if (performance.now() - started > GIVE_UP_MS) throw new Error(`file ${link.ID} was not ready after ${GIVE_UP_MS / 60_000} minutes`);
    await sleep(POLL_MS);
  }
}

/**
 * (b) A 60 s 1080p sample through finalize until every quality of the 1080/720/480/360 ladder is Ready (the back
 * office runs the job), against the same ffmpeg command lines run directly. Resolves to the row and the file's UUID.
 */
export async function transcodeBench(defer: Defer, ws: WebService, token: string): Promise<{ row: Row; uuid: string }> {
  process.stderr.write(`generating a ${SAMPLE_SECONDS} s 1080p sample…\n`);
  const sample = await makeSample({ seconds: SAMPLE_SECONDS, width: 1920, height: 1080 });
  defer(() => rm(path.dirname(sample), { recursive: true, force: true }));

  process.stderr.write('measuring bare ffmpeg transcoding…\n');
  const work = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-transcode-'));
  defer(() => rm(work, { recursive: true, force: true }));
  const aborter = new AbortController();
  defer(async () => aborter.abort());
  const started = performance.now();
  await bareTranscode(sample, work, aborter.signal);
  const baseline = (performance.now() - started) / 1000;
  await rm(work, { recursive: true, force: true });

  process.stderr.write('measuring our transcoding (finalize until every quality is Ready)…\n');
  const uploadUrl = await tusUploadFile(ws.url, token, sample);
  const ours = await ourTranscode(ws, token, uploadUrl);
  return { row: { name: `transcode ${SAMPLE_SECONDS} s 1080p to 4 qualities`, unit: 's', ours: ours.seconds, baseline, digits: 1 }, uuid: ours.uuid };
}
