import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareRates } from './measure.js';
import { startServerProcess } from './processes.js';
import type { Row } from './row.js';
import type { Defer, Platform } from './platformFixture.js';

/** The lowest rung: its small segments show the cost of each request more than the disk's. */
const QUALITY = '360p';
const SEGMENT = 'seg_00000.ts';
const segmentServer = fileURLToPath(new URL('./segmentServer.ts', import.meta.url));

/** The player page sets the vc_media cookie that opens the file's media. */
export async function mediaCookie(appUrl: string, uuid: string): Promise<string> {
  const page = await fetch(`${appUrl}/publish/v/${uuid}`);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='));
  if (page.status !== 200 || !cookie) throw new Error(`GET /publish/v/${uuid} answered ${page.status} without a vc_media cookie`);
  return cookie.split(';')[0]!;
}

/** (c) One HLS segment of a transcoded file from the back office, with the player's cookie, against node:http streaming the same file. */
export async function hlsSegmentBench(defer: Defer, platform: Platform, uuid: string): Promise<Row[]> {
  if (!platform.appUrl) throw new Error('the HLS bench needs the back office');
  const file = path.join(platform.dataDir, 'storage', 'publish', 'files', uuid, 'media', QUALITY, SEGMENT);
  const request = { method: 'GET' as const, path: `/publish/${uuid}/${QUALITY}/${SEGMENT}`, headers: { cookie: await mediaCookie(platform.appUrl, uuid) } };
  const served = await fetch(`${platform.appUrl}${request.path}`, { headers: request.headers });
  if (!served.ok || !Buffer.from(await served.arrayBuffer()).equals(await readFile(file))) throw new Error(`${request.path} did not serve ${file} (${served.status})`);

  const baseline = await startServerProcess(['--import', 'tsx', segmentServer, file]);
  defer(() => baseline.stop());
  process.stderr.write(`measuring GET ${QUALITY}/${SEGMENT}…\n`);
  const rates = await compareRates({ url: platform.appUrl, request, pid: platform.appPid }, { url: baseline.url, request: { ...request, path: `/${SEGMENT}`, headers: {} }, pid: baseline.pid });
  const size = Math.round((await readFile(file)).length / 1024);
  const name = `GET HLS segment ${QUALITY} (${size} KiB, cookie)`;
  const rows: Row[] = [{ name: `${name}${rates.pinned ? ', server on 1 core' : ''}`, unit: 'req/s', ours: rates.ours, baseline: rates.baseline, goal: 0.9 }];
  if (rates.perCpuSecond) rows.push({ name, unit: 'req/cpu-s', ...rates.perCpuSecond, goal: 0.9 });
  return rows;
}
