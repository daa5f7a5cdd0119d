import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import { bearerFor } from '../support/http.js';
import { runServerJs, startPlatform, type Platform } from '../support/platform.js';

const REQUEST_MS = 3000;
const UPLOAD_IDLE_MS = 4000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with how long the server took to close the socket, trickling `lines` every second meanwhile. */
function closedAfter(socket: net.Socket, trickle: () => string, boundMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => socket.writable && socket.write(trickle()), 1000);
    const bound = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server still held the connection after ${boundMs} ms`));
    }, boundMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(bound);
      resolve(Date.now() - started);
    });
  });
}

/**
 * Sends a request whose body arrives piece by piece (a body declared longer than its pieces never ends);
 * resolves with the status, or 0 if the connection was dropped.
 */
function trickleBody(url: string, method: string, headers: Record<string, string>, pieces: Buffer[], everyMs: number, declaredLength?: number): Promise<{ status: number; body: string }> {
  const length = declaredLength ?? pieces.reduce((n, p) => n + p.length, 0);
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers: { ...headers, 'Content-Length': String(length) } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    void (async () => {
      for (const piece of pieces) {
        if (req.destroyed) return;
        req.write(piece);
        await sleep(everyMs);
      }
      if (declaredLength === undefined) req.end();
    })();
  });
}

describe('faults: slow clients', function () {
  this.timeout(120_000);
  let platform: Platform;
  let auth: Record<string, string>;
  let credentials: { clientId: string; clientSecret: string };
  before(async () => {
    // the default headers timeout (10 s), short request and upload idle timeouts to keep the test quick
    platform = await startPlatform({ server: { timeouts: { requestMs: REQUEST_MS, uploadIdleMs: UPLOAD_IDLE_MS } } });
    credentials = JSON.parse((await runServerJs(['--create-application', 'ops', '--scopes', 'publish'], { conf: platform.conf })).stdout);
    auth = await bearerFor(platform.ws.url, credentials.clientId, credentials.clientSecret);
  });
  after(() => platform?.stop());

  it('drops a connection that keeps its headers open, by the headers timeout, and keeps serving others', async () => {
    const { port } = new URL(platform.ws.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /publish/api/uploads HTTP/1.1\r\nHost: localhost\r\n');
    let n = 0;
    const ms = await closedAfter(socket, () => `X-Slow-${n++}: still coming\r\n`, 30_000);
    expect(ms).to.be.below(30_000);
    expect((await bearerFor(platform.ws.url, credentials.clientId, credentials.clientSecret)).Authorization).to.match(/^Bearer /);
  });

  it('answers 408 to a request whose small body does not arrive within the request timeout', async () => {
    const pieces = Array.from({ length: 20 }, () => Buffer.from('a'));
    const { status, body } = await trickleBody(`${platform.ws.url}/token`, 'POST', { 'Content-Type': 'application/x-www-form-urlencoded' }, pieces, 500);
    expect(status).to.equal(408);
    expect(JSON.parse(body).error.message).to.contain('did not arrive');
  });

  it('lets an upload stream for longer than the request timeout, as long as it keeps flowing, and drops one that stalls', async () => {
    const size = 40 * 1024;
    const create = async () => {
      const created = await fetch(`${platform.ws.url}/publish/api/uploads`, {
        method: 'POST',
        headers: { ...auth, 'Tus-Resumable': '1.0.0', 'Upload-Length': String(size), 'Upload-Metadata': `filename ${Buffer.from('a.mp4').toString('base64')}` },
      });
      expect(created.status).to.equal(201);
      return new URL(created.headers.get('location')!, platform.ws.url).href;
    };
    const patchHeaders = { ...auth, 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' };

    // 20 pieces, one every 300 ms: twice the request timeout in all
    const flowing = await trickleBody(await create(), 'PATCH', patchHeaders, Array.from({ length: 20 }, () => Buffer.alloc(size / 20, 1)), 300);
    expect(flowing.status).to.equal(204);

    // half of it, then silence for longer than the upload idle timeout
    const stalled = await trickleBody(await create(), 'PATCH', patchHeaders, [Buffer.alloc(size / 2, 1)], 0, size);
    expect(stalled.status).to.equal(0);
  });
});
