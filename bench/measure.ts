import autocannon from 'autocannon';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 5;

async function fire(baseUrl: string, request: BenchRequest, duration: number): Promise<autocannon.Result> {
  const { method, path, headers, body } = request;
  const result = await autocannon({ url: `${baseUrl}${path}`, method, headers, body, connections: CONNECTIONS, duration });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${method} ${baseUrl}${path}: ${result.non2xx} non-2xx responses and ${result.errors} errors in ${result.requests.total} requests`);
  }
  return result;
}

/** Requests per second over the measured window, after a warm-up; fails if any response is not 2xx. */
export async function requestsPerSecond(baseUrl: string, request: BenchRequest): Promise<number> {
  await fire(baseUrl, request, WARMUP_SECONDS);
  return (await fire(baseUrl, request, MEASURE_SECONDS)).requests.average;
}
