import { cpuSeconds } from './processCpu.js';
import autocannon from 'autocannon';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 3;
/** Ours and the baseline are measured in turns, so a change in the machine's load touches both alike. */
const ROUNDS = 3;

async function fire(baseUrl: string, request: BenchRequest, duration: number): Promise<autocannon.Result> {
  const { method, path, headers, body } = request;
  const result = await autocannon({ url: `${baseUrl}${path}`, method, headers, body, connections: CONNECTIONS, duration });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${method} ${baseUrl}${path}: ${result.non2xx} non-2xx responses and ${result.errors} errors in ${result.requests.total} requests`);
  }
  return result;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One side of a comparison: where to send the request and, when known, the server's process to weigh its CPU time. */
export interface BenchTarget {
  url: string;
  request: BenchRequest;
  pid?: number;
}

export interface Rates {
  /** Requests per second, the median of ROUNDS measurements taken in turns. */
  ours: number;
  baseline: number;
  /**
   * Requests answered per CPU-second of the server process (when both pids are known): what one core would serve
   * if the server had it to itself. The client shares the machine's cores with the server, so requests per second
   * also measure how fast autocannon goes and how busy the machine is; this one much less.
   */
  perCpuSecond?: { ours: number; baseline: number };
}

async function measured(target: BenchTarget): Promise<{ rate: number; perCpuSecond?: number }> {
  const before = target.pid === undefined ? undefined : cpuSeconds(target.pid);
  const result = await fire(target.url, target.request, MEASURE_SECONDS);
  const rate = result.requests.average;
  if (before === undefined) return { rate };
  return { rate, perCpuSecond: result.requests.total / Math.max(cpuSeconds(target.pid!) - before, 0.01) };
}

/** Ours and the baseline measured in turns, ROUNDS times each after a warm-up; each figure the median of its rounds. */
export async function compareRates(ours: BenchTarget, baseline: BenchTarget): Promise<Rates> {
  await fire(ours.url, ours.request, WARMUP_SECONDS);
  await fire(baseline.url, baseline.request, WARMUP_SECONDS);
  const rounds = { ours: [] as { rate: number; perCpuSecond?: number }[], baseline: [] as { rate: number; perCpuSecond?: number }[] };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.baseline.push(await measured(baseline));
    rounds.ours.push(await measured(ours));
  }
  const rates: Rates = { ours: median(rounds.ours.map((r) => r.rate)), baseline: median(rounds.baseline.map((r) => r.rate)) };
  if (ours.pid !== undefined && baseline.pid !== undefined) {
    rates.perCpuSecond = { ours: median(rounds.ours.map((r) => r.perCpuSecond!)), baseline: median(rounds.baseline.map((r) => r.perCpuSecond!)) };
  }
  return rates;
}

/** Issues `amount` requests as fast as the server takes them (to fill a database), failing on any non-2xx. */
export async function issue(baseUrl: string, request: BenchRequest, amount: number): Promise<void> {
  const { method, path, headers, body } = request;
  const result = await autocannon({ url: `${baseUrl}${path}`, method, headers, body, connections: CONNECTIONS, amount });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${method} ${path}: ${result.non2xx} non-2xx and ${result.errors} errors of ${amount}`);
}

/** GETs `url` for `seconds` at `connections`, failing on any error, non-2xx or timeout. */
export async function fireGet(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url, headers, connections, duration: seconds });
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return result;
}
