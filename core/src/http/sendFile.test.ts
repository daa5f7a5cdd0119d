import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { createApp } from './createApp.js';
import { sendFile, type SendFileOptions } from './sendFile.js';

describe('sendFile', () => {
  const content = Buffer.from('0123456789abcdefghij');
  let dir: string;
  let server: Server;
  let base: string;
  let options: SendFileOptions = {};
  const sent: number[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sendfile-'));
    await writeFile(path.join(dir, 'clip 1%.mp4'), content);
    const app = createApp({ logger: winston.createLogger({ silent: true }), trustProxy: false, maxBodyBytes: 1000 });
    app.use((ctx) => sendFile(ctx, path.join(dir, decodeURIComponent(ctx.path.slice(1))), { ...options, onSent: (bytes) => sent.push(bytes) }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    options = {};
    sent.length = 0;
  });
  const url = (name = 'clip 1%.mp4') => `${base}/${encodeURIComponent(name)}`;

  it('sends the whole file with its type, cache policy, validators and Accept-Ranges, and reports the bytes sent', async () => {
    options = { contentType: 'video/mp4', cacheControl: 'private, max-age=60' };
    const response = await fetch(url());
    expect(response.status).to.equal(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).to.equal(true);
    expect(response.headers.get('content-type')).to.equal('video/mp4');
    expect(response.headers.get('cache-control')).to.equal('private, max-age=60');
    expect(response.headers.get('accept-ranges')).to.equal('bytes');
    expect(response.headers.get('etag')).to.be.a('string');
    expect(response.headers.get('last-modified')).to.be.a('string');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(sent).to.deep.equal([content.length]);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(url(), { method: 'HEAD' });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-length')).to.equal(String(content.length));
    expect(await response.text()).to.equal('');
  });

  it('answers a single byte range, and a suffix range, with 206 and Content-Range', async () => {
    const range = await fetch(url(), { headers: { Range: 'bytes=2-5' } });
    expect(range.status).to.equal(206);
    expect(range.headers.get('content-range')).to.equal(`bytes 2-5/${content.length}`);
    expect(await range.text()).to.equal('2345');
    const suffix = await fetch(url(), { headers: { Range: 'bytes=-3' } });
    expect(suffix.status).to.equal(206);
    expect(await suffix.text()).to.equal('hij');
  });

  it('answers 416 with the size in Content-Range for a range past the end', async () => {
    const response = await fetch(url(), { headers: { Range: 'bytes=50-60' } });
    expect(response.status).to.equal(416);
    expect(response.headers.get('content-range')).to.equal(`bytes */${content.length}`);
    expect(await response.text()).to.equal('');
  });

  it('answers 304 to a conditional GET whose ETag still matches', async () => {
    const etag = (await fetch(url())).headers.get('etag')!;
    // fetch adds Cache-Control: no-cache to a conditional request unless it has one, and no-cache is never fresh
    const response = await fetch(url(), { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } });
    expect(response.status).to.equal(304);
  });

  it('offers a download under a safe file name', async () => {
    options = { download: 'my "clip".mkv' };
    const response = await fetch(url());
    expect(response.headers.get('content-disposition')).to.equal('attachment; filename="my__clip_.mkv"');
  });

  it('answers a missing file with the 404 of the error handler', async () => {
    const response = await fetch(url('nothing.mp4'));
    expect(response.status).to.equal(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).to.equal('File not found');
  });
});
