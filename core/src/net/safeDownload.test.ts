import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HttpError } from '../errors.js';
import { DownloadRefusedError, safeDownload } from './safeDownload.js';
import { tempDir } from '../../../test/support/tempDir.js';

const body = Buffer.alloc(256 * 1024, 7);

describe('safeDownload', () => {
  let server: http.Server;
  let base: string;
  let dir: string;

  before(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/video.mp4') return res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'video/mp4' }).end(body);
      if (url.pathname === '/redirect') return res.writeHead(302, { Location: url.searchParams.get('to')! }).end();
      if (url.pathname === '/chunked') {
        res.writeHead(200);
        const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (url.pathname === '/slow') return;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await tempDir('download-');
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const target = (name: string) => path.join(dir, name);
  const refusal = async (promise: Promise<unknown>): Promise<HttpError> => {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(HttpError);
      return error as HttpError;
    }
    throw new Error('expected the download to be refused');
  };
  const allowLoopback = { maxBytes: 1 << 20, timeoutMs: 5000, allowedNetworks: ['127.0.0.1'] };

  it('downloads from an allowed host with progress, and names the file from the URL', async () => {
    const seen: number[] = [];
    const result = await safeDownload(`${base}/video.mp4`, target('ok'), { ...allowLoopback, onProgress: (received) => seen.push(received) });
    expect(result).to.include({ bytes: body.length, fileName: 'video.mp4', contentType: 'video/mp4' });
    expect(await readFile(target('ok'))).to.deep.equal(body);
    expect(seen.at(-1)).to.equal(body.length);
  });

  it('refuses loopback, and a host name whose DNS answer is loopback', async () => {
    for (const url of [`${base}/video.mp4`, `${base.replace('127.0.0.1', 'localhost')}/video.mp4`, 'http://[::1]:9/x', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/x', 'http://192.168.1.1/x', 'http://0.0.0.0/x']) {
      const error = await refusal(safeDownload(url, target('internal'), { maxBytes: 1 << 20, timeoutMs: 3000 }));
      expect(error, url).to.be.instanceOf(DownloadRefusedError);
      expect(error.message, url).to.contain('internal address');
      expect(existsSync(target('internal'))).to.equal(false);
    }
  });

  it('refuses a redirect that leads inside, even from an allowed host', async () => {
    const port = (server.address() as AddressInfo).port;
    for (const to of [`http://127.0.0.2:${port}/video.mp4`, 'http://169.254.169.254/', `http://[::1]:${port}/video.mp4`]) {
      const error = await refusal(safeDownload(`${base}/redirect?to=${encodeURIComponent(to)}`, target('redirect'), allowLoopback));
      expect(error.message, to).to.contain('internal address');
    }
    const toFtp = await refusal(safeDownload(`${base}/redirect?to=${encodeURIComponent('ftp://example.org/x')}`, target('ftp'), allowLoopback));
    expect(toFtp.message).to.contain('Only http and https');
  });

  it('refuses other schemes and malformed URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.org/x', 'gopher://x', 'not a url']) {
      expect(await refusal(safeDownload(url, target('scheme'), allowLoopback))).to.be.instanceOf(DownloadRefusedError);
    }
  });

  it('stops at the size limit, announced or not, and removes the partial file', async () => {
    const announced = await refusal(safeDownload(`${base}/video.mp4`, target('big'), { ...allowLoopback, maxBytes: 1000 }));
    expect(announced.status).to.equal(413);
    const streamed = await refusal(safeDownload(`${base}/chunked`, target('chunked'), { ...allowLoopback, maxBytes: 300_000 }));
    expect(streamed.status).to.equal(413);
    expect(existsSync(target('chunked'))).to.equal(false);
  });

  it('stops at the time limit', async () => {
    const error = await refusal(safeDownload(`${base}/slow`, target('slow'), { ...allowLoopback, timeoutMs: 300 }));
    expect(error.message).to.contain('longer than 300 ms');
  });

  it('reports an HTTP error status of the remote server', async () => {
    expect((await refusal(safeDownload(`${base}/missing`, target('404'), allowLoopback))).message).to.contain('answered 404');
  });
});
