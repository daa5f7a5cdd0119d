import { expect } from 'chai';
import http from 'node:http';
import { startPlatform, type Platform } from '../support/platform.js';

const SHUTDOWN_TIMEOUT_MS = 30_000;

/** A GET on a keep-alive agent: its status, its Connection header, its body. */
function get(url: string, agent: http.Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
}

describe('faults: graceful stop with keep-alive clients', function () {
  this.timeout(90_000);
  let platform: Platform;
  before(async () => {
    platform = await startPlatform({ server: { shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS } });
  });
  after(() => platform?.stop());

  it('answers the requests in flight with Connection: close and exits without waiting for the shutdown timeout', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // a kept-alive connection, idle, and one request in flight on it when the stop comes
    expect((await get(`${platform.app.url}/hello/ping`, agent)).connection).to.equal('keep-alive');
    const inFlight = get(`${platform.app.url}/hello/wait?ms=1500`, agent);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stoppedAt = Date.now();
    const exitCode = platform.app.stop('SIGTERM');
    const answered = await inFlight;
    expect(answered.status).to.equal(200);
    expect(answered.connection).to.equal('close');
    expect(await exitCode).to.equal(0);
    expect(Date.now() - stoppedAt).to.be.below(SHUTDOWN_TIMEOUT_MS / 2);
    agent.destroy();
  });
});
