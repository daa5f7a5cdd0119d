import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { editorBench, printTimings } from './editorBench.js';
import { requestsPerSecond, type BenchRequest } from './measure.js';
import { startServerProcess } from './processes.js';
import { startWebService } from './webServiceFixture.js';

interface Row {
  name: string;
  ours: number;
  baseline: number;
}

const baselineScript = fileURLToPath(new URL('./baselineServer.ts', import.meta.url));
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const task of cleanups.reverse()) {
      await task().catch((error: unknown) => process.stderr.write(`bench cleanup: ${String(error)}\n`));
    }
  })();
  return cleaning;
}

async function issueToken(baseUrl: string, { method, path, headers, body }: BenchRequest): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function bench(): Promise<Row[]> {
  const baseline = await startServerProcess(['--import', 'tsx', baselineScript]);
  cleanups.push(() => baseline.stop());
  const ours = await startWebService((task) => cleanups.push(task));

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
    headers: { authorization: `Bearer ${await issueToken(ours.url, tokenRequest)}` },
  };

  const rows: Row[] = [];
  for (const [name, request] of [
    ['POST /token', tokenRequest],
    ['GET /hello/greeting (Bearer)', greetingRequest],
  ] as const) {
    process.stderr.write(`measuring ${name}…\n`);
    const baselineRate = await requestsPerSecond(baseline.url, request);
    rows.push({ name, ours: await requestsPerSecond(ours.url, request), baseline: baselineRate });
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const header = ['benchmark', 'ours req/s', 'baseline req/s', 'ratio'];
  const cells = rows.map((row) => [row.name, row.ours.toFixed(0), row.baseline.toFixed(0), (row.ours / row.baseline).toFixed(3)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  for (const line of [header, ...cells]) {
    process.stdout.write(`${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`);
  }
}

const onSignal = (signal: NodeJS.Signals) => void cleanup().finally(() => process.exit(128 + os.constants.signals[signal]));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const rows = await bench();
  const timings = await editorBench((task) => cleanups.push(task));
  await cleanup();
  printTable(rows);
  printTimings(timings);
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  await cleanup();
  process.exit(1);
}
