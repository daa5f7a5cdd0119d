import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchRequest } from './measure.js';
import { startServerProcess } from './processes.js';
import type { Row } from './row.js';
import { bearerToken, examplePlugin, startPlatform, type Defer, type Platform } from './platformFixture.js';

const baselineScript = fileURLToPath(new URL('./baselineServer.ts', import.meta.url));
const LIBRARY_FILES = 10_000;
const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
/** Past this a request counts as timed out (autocannon's default is 10 s): a client would have given up long before. */
const TIMEOUT_SECONDS = 5;

interface Stream {
  name: string;
  connections: number;
  request: BenchRequest;
}

/** 100 connections at once: clients listing the library, clients looping on /token, and Bearer calls. */
function streamsOf(platform: Platform, token: string): Stream[] {
  const basic = Buffer.from(`${platform.clientId}:${platform.clientSecret}`).toString('base64');
  return [
    { name: 'GET /publish/videos?limit=20', connections: 40, request: { method: 'GET', path: '/publish/videos?limit=20', headers: { authorization: `Bearer ${token}` } } },
    {
      name: 'POST /token',
      connections: 40,
      request: { method: 'POST', path: '/token', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) },
    },
    { name: 'GET /hello/greeting (Bearer)', connections: 20, request: { method: 'GET', path: '/hello/greeting', headers: { authorization: `Bearer ${token}` } } },
  ];
}

/** Every stream at once against one server for SECONDS; any error, non-2xx or timeout fails the bench. */
async function load(baseUrl: string, streams: Stream[]): Promise<autocannon.Result[]> {
  const results = await Promise.all(
    streams.map(({ connections, request: { method, path, headers, body } }) =>
      autocannon({ url: `${baseUrl}${path}`, method, headers, body, connections, duration: SECONDS, timeout: TIMEOUT_SECONDS }),
    ),
  );
  results.forEach((result, i) => {
    if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
      throw new Error(`${streams[i]!.name} under mixed load on ${baseUrl}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total}`);
    }
  });
  return results;
}

/**
 * The mixed load that once stalled the embedded database (listings, a client looping on /token and Bearer calls,
 * 100 connections for 60 s), against bare Koa answering the same bodies under the same load. No request may time out.
 */
export async function mixedLoadBench(defer: Defer): Promise<Row[]> {
  const platform = await startPlatform(defer, { plugins: ['publish', examplePlugin], scopes: ['publish', 'hello'], libraryFiles: LIBRARY_FILES });
  const token = await bearerToken(platform);
  const streams = streamsOf(platform, token);
  const answers: string[] = [];
  for (const { request } of streams) {
    const response = await fetch(`${platform.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    if (!response.ok) throw new Error(`${request.method} ${request.path} answered ${response.status}`);
    answers.push('--answer', `${request.method} ${request.path.split('?')[0]}=${await response.text()}`);
  }
  const baseline = await startServerProcess(['--import', 'tsx', baselineScript, ...answers]);
  defer(() => baseline.stop());

  process.stderr.write(`mixed load on bare Koa for ${SECONDS} s…\n`);
  const bare = await load(baseline.url, streams);
  process.stderr.write(`mixed load on the web service for ${SECONDS} s…\n`);
  const ours = await load(platform.url, streams);
  return streams.map(({ name, connections }, i) => ({
    name: `mixed ${SECONDS} s: ${name}, ${connections} of 100 conn. (p99 ${ours[i]!.latency.p99} ms, ${ours[i]!.timeouts} timeouts)`,
    unit: 'req/s',
    ours: ours[i]!.requests.average,
    baseline: bare[i]!.requests.average,
  }));
}
