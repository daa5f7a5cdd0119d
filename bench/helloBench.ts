import { fileURLToPath } from 'node:url';
import { requestsPerSecond, type BenchRequest } from './measure.js';
import { startServerProcess } from './processes.js';
import type { Row } from './row.js';
import { bearerToken, startWebService, type Defer } from './platformFixture.js';

const baselineScript = fileURLToPath(new URL('./baselineServer.ts', import.meta.url));

/** The core's POST /token and an authenticated no-op request, against the same answers from a bare Koa server. */
export async function helloBench(defer: Defer): Promise<Row[]> {
  const baseline = await startServerProcess(['--import', 'tsx', baselineScript]);
  defer(() => baseline.stop());
  const ours = await startWebService(defer);

  const basic = Buffer.from(`${ours.clientId}:${ours.clientSecret}`).toString('base64');
  const tokenRequest: BenchRequest = {
    method: 'POST',
    path: '/token',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  };
  const greetingRequest: BenchRequest = {
    method: 'GET',
    path: '/hello/greeting',
    headers: { authorization: `Bearer ${await bearerToken(ours)}` },
  };

  const rows: Row[] = [];
  for (const [name, request] of [
    ['POST /token', tokenRequest],
    ['GET /hello/greeting (Bearer)', greetingRequest],
  ] as const) {
    process.stderr.write(`measuring ${name}…\n`);
    const baselineRate = await requestsPerSecond(baseline.url, request);
    rows.push({ name, unit: 'req/s', ours: await requestsPerSecond(ours.url, request), baseline: baselineRate });
  }
  return rows;
}
