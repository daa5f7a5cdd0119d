import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { fireGet } from './measure.js';
import { startServerProcess } from './processes.js';
import type { Row } from './row.js';
import { bearerToken, startPlatform, type Defer } from './platformFixture.js';

const baselineScript = fileURLToPath(new URL('./baselineServer.ts', import.meta.url));
const LIBRARY_FILES = 100_000;
const HISTORY = { files: 300, days: 365 };
const CONNECTIONS = 8;
const SECONDS = 5;
const DAY_MS = 86_400_000;

const fire = (url: string, headers: Record<string, string>) => fireGet(url, headers, CONNECTIONS, SECONDS);

/** Waits until the processes have summarised every closed day of the history (they do at start). */
async function waitForSummaries(uri: string, dbName: string): Promise<number> {
  const started = performance.now();
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    while ((await connection.collection('publish_usage').countDocuments()) > 0) {
      if (performance.now() - started > 15 * 60_000) throw new Error('the usage history was not summarised within 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  } finally {
    await connection.close();
  }
  return (performance.now() - started) / 1000;
}

/**
 * Waits out the 503s (Retry-After) the platform answers while its database connection recovers: the summarising's
 * deletes can keep the embedded database busy past the driver's heartbeat on a loaded machine.
 */
async function waitForService(url: string, headers: Record<string, string>): Promise<void> {
  const started = performance.now();
  for (;;) {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 503) return;
    if (performance.now() - started > 120_000) throw new Error(`${url} still answered 503 after 2 minutes`);
    process.stderr.write(`the platform answered 503 (database reconnecting); waiting…\n`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * VideoCMS's usage chart and top list over a year (300 files served every day) and the storage top, with 100,000
 * files in the library, against bare Koa answering the same bodies.
 */
export async function usageChartsBench(defer: Defer): Promise<Row[]> {
  process.stderr.write(`filling a library of ${LIBRARY_FILES} files and ${HISTORY.days} days of traffic of ${HISTORY.files} of them…\n`);
  const platform = await startPlatform(defer, { plugins: ['publish'], scopes: ['publish'], libraryFiles: LIBRARY_FILES, usageHistory: HISTORY });
  const summarising = await waitForSummaries(platform.databaseUri, platform.databaseName);
  process.stderr.write(`the year was summarised ${summarising.toFixed(0)} s after the processes started\n`);
  const headers = { authorization: `Bearer ${await bearerToken(platform)}` };
  const to = new Date();
  const from = new Date(to.getTime() - HISTORY.days * DAY_MS);
  const span = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const requests = [
    { name: `a year's traffic chart`, path: '/publish/api/account/traffic', query: span },
    { name: `a year's top files by traffic`, path: '/publish/api/account/traffic/top', query: span },
    { name: 'the largest files (storage top)', path: '/publish/api/account/storage/top', query: '' },
  ];
  await waitForService(`${platform.url}${requests[0]!.path}?${requests[0]!.query}`, headers);
  const answers: string[] = [];
  for (const { path, query } of requests) {
    const started = performance.now();
    const response = await fetch(`${platform.url}${path}?${query}`, { headers });
    const body = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
    process.stderr.write(`${path}: first answer in ${(performance.now() - started).toFixed(0)} ms\n`);
    answers.push('--answer', `GET ${path}=${body}`);
  }
  const baseline = await startServerProcess(['--import', 'tsx', baselineScript, ...answers]);
  defer(() => baseline.stop());

  const rows: Row[] = [];
  for (const { name, path, query } of requests) {
    process.stderr.write(`measuring ${name}…\n`);
    const bare = await fire(`${baseline.url}${path}?${query}`, {});
    const ours = await fire(`${platform.url}${path}?${query}`, headers);
    rows.push({
      name: `${name}, ${LIBRARY_FILES / 1000}k files (mean ${ours.latency.average.toFixed(0)} ms, p99 ${ours.latency.p99} ms)`,
      unit: 'req/s',
      ours: ours.requests.average,
      baseline: bare.requests.average,
    });
  }
  return rows;
}
