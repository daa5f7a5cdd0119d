import { fileURLToPath } from 'node:url';
import { compareRates, issue, type BenchRequest } from './measure.js';
import { startServerProcess, type ServerProcess } from './processes.js';
import type { Row } from './row.js';
import { bearerToken, startWebService, type Defer, type WebService } from './platformFixture.js';

const baselineScript = fileURLToPath(new URL('./baselineServer.ts', import.meta.url));
/** Goals of the web service's hot paths against bare Koa answering the same JSON. */
const TOKEN_GOAL = 0.3;
const AUTHENTICATED_GOAL = 0.6;
const EXTRA_APPLICATIONS = 1000;
const ISSUED_TOKENS = 100_000;

function requestsOf(ws: WebService, token: string): { token: BenchRequest; greeting: BenchRequest } {
  const basic = Buffer.from(`${ws.clientId}:${ws.clientSecret}`).toString('base64');
  return {
    token: { method: 'POST', path: '/token', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) },
    greeting: { method: 'GET', path: '/hello/greeting', headers: { authorization: `Bearer ${token}` } },
  };
}

async function measure(ws: WebService, baseline: ServerProcess, label: string): Promise<Row[]> {
  const ours = requestsOf(ws, await bearerToken(ws));
  const rows: Row[] = [];
  for (const [name, request, goal] of [
    ['POST /token', ours.token, TOKEN_GOAL],
    ['GET /hello/greeting (Bearer)', ours.greeting, AUTHENTICATED_GOAL],
  ] as const) {
    process.stderr.write(`measuring ${name}${label}…\n`);
    const rates = await compareRates({ url: ws.url, request, pid: ws.pid }, { url: baseline.url, request, pid: baseline.pid });
    rows.push({ name: `${name}${label}`, unit: 'req/s', ours: rates.ours, baseline: rates.baseline, goal });
    if (rates.perCpuSecond) rows.push({ name: `${name}${label}`, unit: 'req/cpu-s', ...rates.perCpuSecond, goal });
  }
  return rows;
}

/**
 * The core's POST /token and an authenticated no-op request, against the same answers from a bare Koa server;
 * then again with 1,000 more applications in the database and 100,000 tokens issued, which must cost nothing more.
 */
export async function helloBench(defer: Defer): Promise<Row[]> {
  const baseline = await startServerProcess(['--import', 'tsx', baselineScript]);
  defer(() => baseline.stop());
  const rows = await measure(await startWebService(defer), baseline, '');

  const crowded = await startWebService(defer, { extraApplications: EXTRA_APPLICATIONS });
  process.stderr.write(`issuing ${ISSUED_TOKENS} tokens…\n`);
  await issue(crowded.url, requestsOf(crowded, '').token, ISSUED_TOKENS);
  rows.push(...(await measure(crowded, baseline, ` (${EXTRA_APPLICATIONS} apps, ${ISSUED_TOKENS / 1000}k tokens)`)));
  return rows;
}
