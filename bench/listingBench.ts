import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { fireGet } from './measure.js';
import { startServerProcess } from './processes.js';
import type { Row } from './row.js';
import { bearerToken, startPlatform, type Defer } from './platformFixture.js';

const baselineScript = fileURLToPath(new URL('./baselineServer.ts', import.meta.url));
const LIBRARY_FILES = 10_000;
const CONNECTIONS = 16;
const SECONDS = 5;
const ROUNDS = 3;

const fire = (url: string, headers: Record<string, string>) => fireGet(url, headers, CONNECTIONS, SECONDS);

/**
 * GET /publish/videos?limit=20 (OpenVeo's listing) with 10,000 files in the caller's library, at 16 connections,
 * against bare Koa answering a JSON body of the same size; the goal is ≥ 500 req/s with p99 < 100 ms.
 */
export async function listingBench(defer: Defer): Promise<Row[]> {
  const platform = await startPlatform(defer, { plugins: ['publish'], scopes: ['publish'], libraryFiles: LIBRARY_FILES });
  const headers = { authorization: `Bearer ${await bearerToken(platform)}` };
  const listing = `${platform.url}/publish/videos?limit=20`;
  const first = await fetch(listing, { headers });
  const body = await first.text();
  if (!first.ok || (JSON.parse(body) as { pagination: { size: number } }).pagination.size !== LIBRARY_FILES) throw new Error(`the listing answered ${first.status}: ${body.slice(0, 200)}`);
  const baseline = await startServerProcess(['--import', 'tsx', baselineScript, '--answer', `GET /publish/videos=${body}`]);
  defer(() => baseline.stop());

  process.stderr.write(`measuring GET /publish/videos?limit=20 with ${LIBRARY_FILES} files…\n`);
  const ours: autocannon.Result[] = [];
  const bare: autocannon.Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await fire(`${baseline.url}/publish/videos?limit=20`, {}));
    ours.push(await fire(listing, headers));
  }
  const median = (results: autocannon.Result[], pick: (r: autocannon.Result) => number) => results.map(pick).sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
  const p99 = median(ours, (r) => r.latency.p99);
  return [
    {
      name: `GET /publish/videos?limit=20, ${LIBRARY_FILES / 1000}k files, ${CONNECTIONS} conn. (p99 ${p99} ms; goal ≥ 500 req/s, p99 < 100 ms)`,
      unit: 'req/s',
      ours: median(ours, (r) => r.requests.average),
      baseline: median(bare, (r) => r.requests.average),
    },
  ];
}
