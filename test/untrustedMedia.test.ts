import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bearerFor, request } from './support/http.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { uploadFile } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';
import { wevSimpleClient } from './support/wev.js';

/**
 * A user's file is data: a playlist (HLS, concat…) naming other files on the server, or a file that would cost
 * hours of encoding, must be refused before ffmpeg reads anything it names.
 */
describe('untrusted media', () => {
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let auth: Record<string, string>;
  let site: http.Server;
  let siteUrl: string;
  let victim: string;
  let playlist: Buffer;

  before(async () => {
    // Any media file on the server stands for another tenant's: the attack names it by absolute or relative path.
    victim = await makeSample({ seconds: 2, width: 320, height: 240 });
    playlist = Buffer.from(`#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${victim}\n#EXTINF:2,\n${victim}\n#EXT-X-ENDLIST\n`);
    await writeFile(path.join(path.dirname(victim), 'concat.txt'), `ffconcat version 1.0\nfile '${victim}'\n`);
    site = http.createServer((req, res) => {
      const body = req.url === '/list.m3u8' ? playlist : req.url === '/list.txt' ? Buffer.from(`ffconcat version 1.0\nfile '${victim}'\n`) : undefined;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(body);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    conf = await makeConf({
      plugins: ['publish', 'editor'],
      server: { outbound: { allowedNetworks: ['127.0.0.1/32'] } },
      files: { 'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', limits: { maxDurationSeconds: 3 } } },
    });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    const { clientId, clientSecret } = JSON.parse((await runServerJs(['--create-application', 'tenant', '--scopes', 'publish,editor'], { conf })).stdout);
    auth = { ...(await bearerFor(ws.url, clientId, clientSecret)), secret: clientSecret };
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
    await new Promise((resolve) => site?.close(resolve));
  });

  it('publish refuses an uploaded HLS playlist or concat list naming files on the server, through tus and direct upload', async () => {
    const { secret: _secret, ...headers } = auth;
    for (const name of ['evil.mp4', 'evil.m3u8']) {
      const tus = await uploadFile(ws.url, headers, playlist, name);
      expect(tus.status).to.equal(400);
      expect(JSON.stringify(tus.body)).to.contain('playlists, manifests and file lists are refused');
    }
    const form = new FormData();
    form.append('name', 'list.mkv');
    form.append('file', new Blob([new Uint8Array(await readFile(path.join(path.dirname(victim), 'concat.txt')))]), 'list.mkv');
    const direct = await fetch(`${ws.url}/publish/api/file/upload`, { method: 'POST', headers, body: form });
    const directText = await direct.text();
    expect(direct.status, directText).to.equal(400);
    expect(directText, directText).to.match(/not a (plain )?media file/);
    const listed = await request(`${ws.url}/publish/videos`, { headers });
    expect(listed.body.entities).to.deep.equal([]);
  });

  it('publish refuses a file longer than its configured limit, with the reason', async () => {
    const { secret: _secret, ...headers } = auth;
    const long = await uploadFile(ws.url, headers, await readFile(await makeSample({ seconds: 5, width: 320, height: 240 })), 'long.mkv');
    expect(long.status).to.equal(400);
    expect(JSON.stringify(long.body)).to.contain('too long: 5 s, the limit is 3 s');
  });

  it('the editor fails an import that is a playlist, saying why, and keeps nothing of it', async () => {
    const wev = wevSimpleClient(`${ws.url}/editor`, auth.secret!);
    const imported = await wev('POST', '/api/4/files/import', { urls: [`${siteUrl}/list.m3u8`, `${siteUrl}/list.txt`] });
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    const tickets = imported.body.tickets as string[];
    const status = await waitFor(async () => {
      const { body } = await wev('GET', `/api/4/files/status/${tickets.join(',')}`);
      return Object.values(body as Record<string, { status: string }>).every((t) => t.status !== 'TICKET_REGISTERED') ? body : undefined;
    }, 60_000, 'the imports to finish');
    for (const ticket of tickets) expect(status[ticket]).to.include({ status: 'FAILED' });
    expect(status[tickets[0]!].error).to.contain('playlists, manifests and file lists are refused');
    const me = await wev('GET', '/api/3/me');
    expect((await wev('GET', `/api/3/users/${me.body.userId}/media`)).body.metadata.noResults).to.equal(0);
  });
});
