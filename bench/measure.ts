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

/** Ours and the baseline's requests per second, each the median of ROUNDS measurements taken in turns. */
export async function compareRates(
  ours: { url: string; request: BenchRequest },
  baseline: { url: string; request: BenchRequest },
): Promise<{ ours: number; baseline: number }> {
  await fire(ours.url, ours.request, WARMUP_SECONDS);
  await fire(baseline.url, baseline.request, WARMUP_SECONDS);
  const rates = { ours: [] as number[], baseline: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    rates.baseline.push((await fire(baseline.url, baseline.request, MEASURE_SECONDS)).requests.average);
    rates.ours.push((await fire(ours.url, ours.request, MEASURE_SECONDS)).requests.average);
  }
  return { ours: median(rates.ours), baseline: median(rates.baseline) };
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
