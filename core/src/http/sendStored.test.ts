import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { createApp } from './createApp.js';
import { LocalStorage } from '../storage/localStorage.js';
import { configureStoredObjectCache, DEFAULT_STORED_OBJECT_CACHE, sendStored, type SendStoredOptions } from './sendStored.js';

for (const cached of [true, false]) {
  describe(`sendStored, ${cached ? 'from the cache of small objects' : 'streamed'}`, () => {
    const content = Buffer.from('0123456789abcdefghij');
    let dir: string;
    let server: Server;
    let base: string;
    let options: SendStoredOptions = {};
    const sent: number[] = [];

    before(async () => {
      configureStoredObjectCache(cached ? DEFAULT_STORED_OBJECT_CACHE : { maxBytes: 0, maxObjectBytes: 0 });
      dir = await mkdtemp(path.join(os.tmpdir(), 'sendstored-'));
      const storage = new LocalStorage(dir);
      await writeFile(path.join(dir, 'clip 1%.mp4'), content);
      const app = createApp({ logger: winston.createLogger({ silent: true }), trustProxy: false, maxBodyBytes: 1000 });
      app.use((ctx) => sendStored(ctx, storage, decodeURIComponent(ctx.path.slice(1)), { ...options, onSent: (bytes) => sent.push(bytes) }));
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      configureStoredObjectCache(DEFAULT_STORED_OBJECT_CACHE);
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
      // the response closes on the server a moment after the client has read all of it
      for (let tries = 0; sent.length === 0 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
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

    it('answers 304 to a conditional GET whose ETag or date still matches, and the file to one that does not', async () => {
      const first = await fetch(url());
      const etag = first.headers.get('etag')!;
      // fetch sends Cache-Control: no-cache with a conditional request: an origin server answers 304 all the same
      expect((await fetch(url(), { headers: { 'If-None-Match': etag } })).status).to.equal(304);
      expect((await fetch(url(), { headers: { 'If-None-Match': `"other", ${etag}` } })).status).to.equal(304);
      expect((await fetch(url(), { headers: { 'If-Modified-Since': first.headers.get('last-modified')! } })).status).to.equal(304);
      const changed = await fetch(url(), { headers: { 'If-None-Match': '"other"', 'If-Modified-Since': first.headers.get('last-modified')! } });
      expect(changed.status).to.equal(200);
      expect(await changed.text()).to.equal(content.toString());
      expect((await fetch(url(), { headers: { 'If-Modified-Since': new Date(0).toUTCString() } })).status).to.equal(200);
    });

    it('serves a rewritten file\'s new bytes at once', async () => {
      await writeFile(path.join(dir, 'changing.ts'), 'first version');
      expect(await (await fetch(url('changing.ts'))).text()).to.equal('first version');
      await writeFile(path.join(dir, 'changing.ts'), 'second, longer version');
      expect(await (await fetch(url('changing.ts'))).text()).to.equal('second, longer version');
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
}
