import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from './support/http.js';
import { makeSample } from './support/media.js';
import { runServerJs, startProcess } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const PASSWORD = 'correct horse battery';
const DAY_MS = 86_400_000;
const today = () => Math.floor(Date.now() / DAY_MS) * DAY_MS;

describe('publish: the VideoCMS account routes and their usage accounting', () => {
  let platform: PublishPlatform;
  let bearer: Record<string, string>;
  let adminBearer: Record<string, string>;
  let annId: string;
  let sample: Buffer;
  let link: { ID: number; UUID: string; Name: string };
  let servedBytes = 0;
  let remoteServer: http.Server;
  let origin: string;
  const call = (route: string, as = bearer, method = 'GET', body?: unknown) => platform.call(method, `/account${route}`, body, as);
  const todayOf = (series: { Timestamp: number; Bytes: number }[]) => series.find((p) => p.Timestamp === today())?.Bytes;

  before(async () => {
    sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240, audio: ['eng'] }));
    remoteServer = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'video/x-matroska', 'Content-Length': sample.length }).end(sample));
    await new Promise<void>((resolve) => remoteServer.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(remoteServer.address() as AddressInfo).port}`;
    // An hour between flushes: within the test only a clean stop saves the counts.
    platform = await startPublishPlatform(
      { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', segmentSeconds: 1, usageFlushSeconds: 3600 },
      { outbound: { allowedNetworks: ['127.0.0.1'] } },
    );
    const created = await runServerJs(['--create-user', 'ann@example.test', '--password-stdin'], { conf: platform.conf, stdin: `${PASSWORD}\n` });
    if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    const admin = await runServerJs(['--create-user', 'root@example.test', '--password-stdin', '--role', 'admin'], { conf: platform.conf, stdin: `${PASSWORD}\n` });
    if (admin.code !== 0) throw new Error(`--create-user failed: ${admin.stderr}`);
    const login = async (username: string) => {
      const logged = await platform.call('POST', '/auth/login', { username, password: PASSWORD }, {});
      return { Authorization: `Bearer ${logged.body.token as string}` };
    };
    bearer = await login('ann@example.test');
    adminBearer = await login('root@example.test');
    annId = String(decodeJwt(bearer.Authorization!.slice('Bearer '.length)).userid);
  });
  after(async () => {
    await platform?.stop();
    remoteServer?.close();
  });

  it("answers /account with VideoCMS's shape for a logged-in user", async () => {
    const { status, body } = await call('');
    expect(status).to.equal(200);
    expect(body).to.have.keys('Username', 'Admin', 'Email', 'Balance', 'Storage', 'Used', 'Files', 'Settings', 'MaxRemoteDownloads', 'RemoteDownloadEnabled');
    expect(body).to.include({ Username: 'ann@example.test', Email: 'ann@example.test', Admin: false, Used: 0, Files: 0, RemoteDownloadEnabled: true });
    expect(body.Settings).to.have.keys('WebhooksEnabled', 'WebhooksMax', 'UploadSessionsMax', 'EnablePlayerCaptcha', 'MaxRemoteDownloads', 'RemoteDownloadEnabled', 'UploadEnabled');
  });

  it('reads and updates the account settings; bad input is a 400', async () => {
    expect((await call('/settings')).body).to.deep.equal({ EnablePlayerCaptcha: false });
    expect((await call('/settings', bearer, 'PUT', { EnablePlayerCaptcha: true })).status).to.equal(200);
    expect((await call('/settings')).body).to.deep.equal({ EnablePlayerCaptcha: true });
    expect((await call('/settings', platform.auth)).body, 'another owner keeps the default').to.deep.equal({ EnablePlayerCaptcha: false });
    const bad = await call('/settings', bearer, 'PUT', { EnablePlayerCaptcha: 'maybe' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.be.a('string');
    expect((await call('/traffic?from=yesterday')).status).to.equal(400);
    expect((await call('/upload/top?mode=planets')).status).to.equal(400);
  });

  it('refuses a chart over more than two years with a 400 (schemathesis: from=0020-02-29 held the process past 30 s)', async () => {
    const ancient = await call('/encoding/top?from=0020-02-29T00%3A00%3A00Z');
    expect(ancient.status, JSON.stringify(ancient.body)).to.equal(400);
    expect(ancient.body.error.message).to.match(/at most 731 days apart/);
    expect((await call('/remote-download?from=0020-02-29T00%3A00%3A00Z')).status).to.equal(400);
    const twoYears = new Date(Date.now() - 730 * 86_400_000).toISOString();
    expect((await call(`/traffic?from=${encodeURIComponent(twoYears)}`)).body.Traffic.length).to.be.within(730, 732);
  });

  it('counts uploads, encoding, remote downloads and served media in memory: nothing is in the database before a flush', async () => {
    const url = await tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: bearer, metadata: { filename: 'lesson.mkv' } }).done;
    link = (await platform.call('POST', `/uploads/${url.split('/').pop()}/finalize`, undefined, bearer)).body;
    await waitFor(async () => (await platform.call('GET', `/file?LinkID=${link.ID}`, undefined, bearer)).body.Qualitys?.[0]?.Ready, 60_000, 'the file to be ready');

    const page = await fetch(`${platform.app.url}/publish/v/${link.UUID}`);
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
    const get = async (path: string) => {
      const response = await fetch(`${platform.app.url}/publish/${link.UUID}${path}`, { headers: { Cookie: cookie } });
      expect(response.status, path).to.equal(200);
      const bytes = (await response.arrayBuffer()).byteLength;
      servedBytes += bytes;
      return bytes;
    };
    await get('/240p/1/stream/video.mp4');
    await get('/240p/video.m3u8');
    const playlist = await (await fetch(`${platform.app.url}/publish/${link.UUID}/240p/video.m3u8`, { headers: { Cookie: cookie } })).text();
    servedBytes += Buffer.byteLength(playlist);
    for (const segment of playlist.split('\n').filter((line) => line.endsWith('.ts'))) await get(`/240p/${segment}`);

    const download = (await platform.call('POST', '/remote/download', { urls: [`${origin}/remote.mkv`] }, bearer)).body[0];
    await waitFor(async () => {
      const rows = (await platform.call('GET', '/remote/downloads', undefined, bearer)).body as { ID: number; Status: string }[];
      return rows.find((r) => r.ID === download.ID && r.Status === 'completed');
    }, 60_000, 'the remote download');

    expect(todayOf((await call('/traffic')).body.Traffic), 'no write per request').to.equal(0);
    expect(todayOf((await call('/upload')).body.Traffic)).to.equal(0);
    expect((await call('/traffic/top')).body).to.deep.equal([]);
  });

  it('saves every count on a clean stop, into daily buckets that the charts and top lists read', async () => {
    await Promise.all([platform.app.stop(), platform.ws.stop()]);
    [platform.app, platform.ws] = await Promise.all([startProcess(platform.conf, 'app'), startProcess(platform.conf, 'ws')]);

    const traffic = (await call('/traffic')).body;
    expect(traffic).to.have.keys('Traffic');
    expect(traffic.Traffic[0]).to.have.keys('Timestamp', 'Bytes');
    expect(todayOf(traffic.Traffic)).to.equal(servedBytes);
    expect((await call('/traffic/top')).body).to.deep.equal([{ ID: link.ID, Name: 'lesson.mkv', value: servedBytes }]);

    expect(todayOf((await call('/upload')).body.Traffic)).to.equal(sample.length);
    expect((await call('/upload/top')).body).to.deep.equal([{ ID: link.ID, Name: 'lesson.mkv', value: sample.length }]);

    const encodingTop = (await call('/encoding/top')).body as { ID: number; Name: string; value: number }[];
    expect(encodingTop.map((e) => e.Name)).to.include('lesson.mkv');
    expect((await call('/encoding')).body.Traffic.length).to.be.above(0);

    const storageTop = (await call('/storage/top')).body as { ID: number; Name: string; value: number }[];
    expect(storageTop.find((e) => e.ID === link.ID)).to.deep.equal({ ID: link.ID, Name: 'lesson.mkv', value: sample.length });

    expect(todayOf((await call('/remote-download')).body.Traffic)).to.equal(sample.length);
    expect(todayOf((await call('/remote-download/duration')).body.Traffic)).to.be.a('number');
    expect((await call('/remote-download/top')).body).to.deep.equal([{ ID: 0, Name: '127.0.0.1', value: sample.length }]);
    const byUser = (await call('/remote-download/top?mode=users')).body;
    expect(byUser).to.have.length(1);
    expect(byUser[0]).to.include({ Name: 'ann@example.test', value: sample.length });
  });

  it("shows another owner none of the caller's usage", async () => {
    expect(todayOf((await call('/traffic', platform.otherAuth)).body.Traffic)).to.equal(0);
    expect((await call('/traffic/top', platform.otherAuth)).body).to.deep.equal([]);
    expect((await call('/storage/top', platform.otherAuth)).body).to.deep.equal([]);
    expect((await call('', platform.otherAuth)).body).to.include({ Used: 0, Files: 0 });
  });

  it('limits a chart to the asked window', async () => {
    const from = new Date(today() - 3 * DAY_MS).toISOString();
    const to = new Date(today() - DAY_MS).toISOString();
    const past = (await call(`/traffic?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body.Traffic as { Timestamp: number; Bytes: number }[];
    expect(past.map((p) => p.Timestamp)).to.deep.equal([today() - 3 * DAY_MS, today() - 2 * DAY_MS, today() - DAY_MS]);
    expect(past.every((p) => p.Bytes === 0)).to.equal(true);
  });

  describe('the admin /api/stats routes', () => {
    const stats = (route: string, as = adminBearer) => platform.call('GET', `/stats${route}`, undefined, as);

    it("sum everyone's usage and rank users, or one user's with ?user_id", async () => {
      expect(todayOf((await stats('/traffic')).body.Traffic)).to.equal(servedBytes);
      expect(todayOf((await stats(`/upload?user_id=${annId}`)).body.Traffic)).to.equal(sample.length);
      const top = (await stats('/traffic/top')).body;
      expect(top).to.deep.equal([{ ID: Number(annId) || 0, Name: 'ann@example.test', value: servedBytes }]);
      expect((await stats('/traffic/top?mode=files')).body).to.deep.equal([{ ID: link.ID, Name: 'lesson.mkv', value: servedBytes }]);
      expect((await stats('/upload/top')).body[0]).to.include({ Name: 'ann@example.test', value: sample.length });
      expect((await stats('/encoding/top')).body.map((e: { Name: string }) => e.Name)).to.deep.equal(['ann@example.test']);
      expect((await stats('/storage/top')).body).to.deep.equal([{ ID: Number(annId) || 0, Name: 'ann@example.test', value: 2 * sample.length }]);
      expect((await stats('/remote-download/top')).body).to.deep.equal([{ ID: 0, Name: '127.0.0.1', value: sample.length }]);
      expect(todayOf((await stats('/traffic?user_id=someone-else')).body.Traffic)).to.equal(0);
    });

    it('refuse a user who is not an admin, an application and an API key with 403', async () => {
      expect((await stats('/traffic', bearer)).status).to.equal(403);
      expect((await stats('/traffic', platform.auth)).status).to.equal(403);
      const key = await platform.call('POST', '/apikey', { name: 'admin key' }, adminBearer);
      expect(key.status).to.equal(201);
      const refused = await stats('/traffic', { Authorization: `Bearer ${key.body.key as string}` });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.message).to.equal('API Key Not Permitted for Admin Routes');
      expect((await stats('/traffic?user_id=%3Cscript%3E')).status, 'a malformed user_id').to.equal(400);
    });
  });
});
