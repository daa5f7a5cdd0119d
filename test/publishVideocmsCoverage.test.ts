import { expect } from 'chai';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request, type JsonResponse } from './support/http.js';
import { makeSample } from './support/media.js';
import { runServerJs } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const PASSWORD = 'correct horse battery';
const EXAMPLE = '0d5c3b1a-2e4f-4a6b-8c7d-9e0f1a2b3c4d';
const VERSION_TAG = 'v0.0.1';

type Json = Record<string, any>;

/** VideoCMS's chart shape: {Traffic:[{Timestamp (ms), Bytes}]}, one point a day. */
function expectChart(response: JsonResponse, route: string): { Timestamp: number; Bytes: number }[] {
  expect(response.status, `${route}: ${JSON.stringify(response.body)}`).to.equal(200);
  expect(response.body, route).to.have.keys('Traffic');
  expect(response.body.Traffic, route).to.be.an('array').that.is.not.empty;
  for (const point of response.body.Traffic) {
    expect(point, route).to.have.keys('Timestamp', 'Bytes');
    expect(point.Timestamp % 86_400_000, route).to.equal(0);
    expect(point.Bytes, route).to.be.a('number').at.least(0);
  }
  return response.body.Traffic;
}

/** VideoCMS's top lists: [{ID, Name, value}]. */
function expectTop(response: JsonResponse, route: string): { ID: number; Name: string; value: number }[] {
  expect(response.status, `${route}: ${JSON.stringify(response.body)}`).to.equal(200);
  expect(response.body, route).to.be.an('array');
  for (const entry of response.body) {
    expect(entry, route).to.have.keys('ID', 'Name', 'value');
    expect(entry.Name, route).to.be.a('string');
    expect(entry.value, route).to.be.a('number');
  }
  return response.body;
}

const USER_KEYS = ['ID', 'CreatedAt', 'UpdatedAt', 'DeletedAt', 'Username', 'Name', 'Admin', 'Email', 'Balance', 'Storage', 'Settings', 'MaxRemoteDownloads', 'RemoteDownloadEnabled', 'UploadEnabled', 'used_storage', 'file_count'];
const SETTINGS_KEYS = ['ID', 'CreatedAt', 'UpdatedAt', 'DeletedAt', 'AppName', 'BaseUrl', 'ProjectExampleVideo', 'EncodingEnabled', 'UploadEnabled', 'MaxUploadFilesize', 'RemoteDownloadEnabled', 'CaptchaEnabled', 'CaptchaLoginEnabled', 'CaptchaPlayerEnabled', 'CaptchaType'];
const ADMIN_ROUTES: [string, string][] = [
  ['GET', '/stats'],
  ['GET', '/stats/traffic'],
  ['GET', '/stats/traffic/top'],
  ['GET', '/stats/upload'],
  ['GET', '/stats/upload/top'],
  ['GET', '/stats/encoding'],
  ['GET', '/stats/encoding/top'],
  ['GET', '/stats/storage/top'],
  ['GET', '/users'],
  ['POST', '/users'],
  ['GET', '/users/000000000000000000000000'],
  ['PUT', '/users/000000000000000000000000'],
  ['DELETE', '/users/000000000000000000000000'],
  ['POST', '/users/000000000000000000000000/password'],
  ['GET', '/settings'],
  ['PUT', '/settings'],
  ['GET', '/pages'],
  ['POST', '/page'],
  ['PUT', '/page'],
  ['DELETE', '/page'],
  ['GET', '/admin/encodings'],
  ['GET', '/versioncheck'],
];

/**
 * Issue 13's audit: each of the 41 routes VideoCMS's reference lists that answered 404 before, called on a real
 * platform, its answer checked against VideoCMS's shape. Nothing transcodes here (no process runs jobs), so the
 * uploaded file stays in the encoding queue that /api/stats and /api/admin/encodings show.
 */
describe('publish: every VideoCMS route issue 13 found missing answers in its VideoCMS shape', () => {
  let platform: PublishPlatform;
  let releases: http.Server;
  let admin: Record<string, string>;
  let ann: Record<string, string>;
  let link: { ID: number; UUID: string; Name: string };
  let sampleBytes: number;
  const api = (method: string, route: string, body?: unknown, as = admin) => platform.call(method, route, body, as);
  const login = async (username: string) => {
    const logged = await platform.call('POST', '/auth/login', { username, password: PASSWORD }, {});
    expect(logged.status, JSON.stringify(logged.body)).to.equal(200);
    return { Authorization: `Bearer ${logged.body.token as string}` };
  };

  before(async () => {
    releases = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ tag_name: VERSION_TAG })));
    await new Promise<void>((resolve) => releases.listen(0, '127.0.0.1', resolve));
    platform = await startPublishPlatform(
      {
        qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }],
        exampleVideo: EXAMPLE,
        systemSampleSeconds: 1,
        usageFlushSeconds: 1,
        versionCheck: { url: `http://127.0.0.1:${(releases.address() as AddressInfo).port}/latest` },
      },
      { jobs: { runIn: [] }, outbound: { allowedNetworks: ['127.0.0.1'] } },
      ['publish'],
    );
    for (const [email, role] of [['root@example.test', ['--role', 'admin']], ['ann@example.test', []]] as const) {
      const created = await runServerJs(['--create-user', email, '--password-stdin', ...role], { conf: platform.conf, stdin: `${PASSWORD}\n` });
      if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    }
    admin = await login('root@example.test');
    ann = await login('ann@example.test');
    const sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240, audio: ['eng'] }));
    sampleBytes = sample.length;
    const url = await tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: ann, metadata: { filename: 'lecture.mkv' } }).done;
    link = (await api('POST', `/uploads/${url.split('/').pop()}/finalize`, undefined, ann)).body;
  });
  after(async () => {
    await platform?.stop();
    releases?.close();
  });

  it('captcha: GET /captcha/challenge and POST /captcha/verify', async () => {
    const challenge = await request(`${platform.app.url}/publish/captcha/challenge`);
    expect(challenge.status).to.equal(200);
    expect(challenge.body).to.include.keys('parameters', 'signature');
    const page = await fetch(`${platform.app.url}/publish/captcha/challenge?uuid=${link.UUID}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('<altcha-widget');
    const solution = await solveChallenge({ challenge: challenge.body as Challenge, deriveKey });
    const verify = (altcha: string) =>
      fetch(`${platform.app.url}/publish/captcha/verify`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ uuid: link.UUID, altcha }),
      });
    const passed = await verify(Buffer.from(JSON.stringify({ challenge: challenge.body, solution })).toString('base64'));
    expect(passed.status).to.equal(303);
    expect(passed.headers.get('location')).to.equal(`/publish/v/${link.UUID}`);
    expect(passed.headers.getSetCookie().some((c) => c.startsWith('captcha_bypass='))).to.equal(true);
    const failed = await verify('not solved');
    expect(failed.status).to.equal(400);
    expect(await failed.text()).to.contain('Captcha verification failed. Please try again.');
  });

  it('public: GET /api/config, /api/file/example, /api/p/pages, /api/p/page', async () => {
    const config = await api('GET', '/config', undefined, {});
    expect(config.status).to.equal(200);
    expect(config.body).to.include.keys('AppName', 'BaseUrl', 'EncodingEnabled', 'UploadEnabled', 'MaxUploadFilesize', 'MaxUploadChunkSize', 'MaxUploadSessions', 'FolderVideoQualitys', 'ContinueWatchingPopupEnabled', 'DownloadEnabled', 'RemoteDownloadEnabled', 'PlayerV2Enabled', 'CaptchaEnabled', 'CaptchaType');
    const example = await fetch(`${platform.ws.url}/publish/api/file/example`);
    expect([example.status, await example.text()]).to.deep.equal([200, EXAMPLE]);
    expect((await api('POST', '/page', { Path: 'imprint', Title: 'Imprint', Html: '<p>Who we are</p>', ListInFooter: true })).status).to.equal(200);
    expect((await api('GET', '/p/pages', undefined, {})).body).to.deep.equal([{ Path: 'imprint/', Title: 'Imprint', ListInFooter: true }]);
    const page = await fetch(`${platform.ws.url}/publish/api/p/page?Path=imprint/`);
    expect([page.status, await page.text()]).to.deep.equal([200, '<p>Who we are</p>']);
  });

  it('account: GET /api/account and GET/PUT /api/account/settings', async () => {
    const account = await api('GET', '/account', undefined, ann);
    expect(account.status).to.equal(200);
    expect(account.body).to.have.keys('Username', 'Admin', 'Email', 'Balance', 'Storage', 'Used', 'Files', 'Settings', 'MaxRemoteDownloads', 'RemoteDownloadEnabled');
    expect(account.body).to.include({ Username: 'ann@example.test', Admin: false, Used: sampleBytes, Files: 1 });
    const put = await api('PUT', '/account/settings', { EnablePlayerCaptcha: true }, ann);
    expect([put.status, put.body], 'an empty 200, as VideoCMS').to.deep.equal([200, undefined]);
    expect((await api('GET', '/account/settings', undefined, ann)).body).to.deep.equal({ EnablePlayerCaptcha: true });
  });

  it('account usage: the traffic, upload, encoding and remote-download charts and top lists, and the storage top', async () => {
    // The upload is counted in memory and flushed each second: the chart shows it once saved.
    const uploads = await waitFor(async () => {
      const chart = expectChart(await api('GET', '/account/upload', undefined, ann), '/account/upload');
      return chart.some((point) => point.Bytes === sampleBytes) && chart;
    }, 30_000, 'the upload in the chart');
    expect(uploads.length).to.be.within(1, 2);
    for (const route of ['/account/traffic', '/account/encoding', '/account/remote-download', '/account/remote-download/duration']) expectChart(await api('GET', route, undefined, ann), route);
    expect(expectTop(await api('GET', '/account/upload/top', undefined, ann), '/account/upload/top')).to.deep.equal([{ ID: link.ID, Name: 'lecture.mkv', value: sampleBytes }]);
    for (const route of ['/account/traffic/top', '/account/encoding/top', '/account/remote-download/top']) expect(expectTop(await api('GET', route, undefined, ann), route)).to.deep.equal([]);
    expect(expectTop(await api('GET', '/account/storage/top', undefined, ann), '/account/storage/top')).to.deep.equal([{ ID: link.ID, Name: 'lecture.mkv', value: sampleBytes }]);
    expect(expectTop(await api('GET', '/account/storage/top', undefined, admin), 'the admin has no file')).to.deep.equal([]);
  });

  it("admin stats: GET /api/stats with the encoding queue, and the 7 /api/stats/* charts and top lists of everyone's usage", async () => {
    // 240p of a 320x240 source, and its one audio track: sampled each second while nothing transcodes it.
    const stats = await waitFor(async () => {
      // One-second buckets over the last few seconds, each holding one sample.
      const to = new Date();
      const answer = await api('GET', `/stats?from=${new Date(to.getTime() - 5000).toISOString()}&to=${to.toISOString()}&points=5`);
      expect(answer.status).to.equal(200);
      return answer.body.ENCQualityQueue.some((point: Json) => point.Value === 1) && answer.body;
    }, 30_000, 'the queued file in the encoding-queue series');
    expect(stats).to.have.keys('Cpu', 'Mem', 'NetOut', 'NetIn', 'DiskW', 'DiskR', 'ENCQualityQueue', 'ENCAudioQueue', 'ENCSubtitleQueue');
    for (const series of Object.values(stats) as Json[][]) for (const point of series) expect(point).to.have.keys('Timestamp', 'Value');
    expect(stats.ENCAudioQueue.some((point: Json) => point.Value === 1)).to.equal(true);
    expect(stats.ENCSubtitleQueue.every((point: Json) => point.Value === 0)).to.equal(true);

    const everyone = expectChart(await api('GET', '/stats/upload'), '/stats/upload');
    expect(everyone.some((point) => point.Bytes === sampleBytes)).to.equal(true);
    for (const route of ['/stats/traffic', '/stats/encoding']) expectChart(await api('GET', route), route);
    const annId = (await api('GET', '/users?search=ann')).body.data[0].ID as string;
    // A user's ID here is ours (24 hex digits), which VideoCMS's numeric ID cannot carry: Name and value tell who.
    const byUser = (entries: { Name: string; value: number }[]) => entries.map(({ Name, value }) => ({ Name, value }));
    expect(byUser(expectTop(await api('GET', '/stats/upload/top'), '/stats/upload/top'))).to.deep.equal([{ Name: 'ann@example.test', value: sampleBytes }]);
    expect(expectTop(await api('GET', '/stats/upload/top?mode=files'), 'by file')).to.deep.equal([{ ID: link.ID, Name: 'lecture.mkv', value: sampleBytes }]);
    expect(expectChart(await api('GET', `/stats/upload?user_id=${annId}`), 'one user').some((point) => point.Bytes === sampleBytes)).to.equal(true);
    for (const route of ['/stats/traffic/top', '/stats/encoding/top']) expect(expectTop(await api('GET', route), route)).to.deep.equal([]);
    expect(byUser(expectTop(await api('GET', '/stats/storage/top'), '/stats/storage/top'))).to.deep.equal([{ Name: 'ann@example.test', value: sampleBytes }]);
  });

  it('users: GET/POST /api/users, GET/PUT/DELETE /api/users/:id, POST /api/users/:id/password', async () => {
    const created = await api('POST', '/users', { username: 'bob@example.test', password: PASSWORD, storage: 1_000_000 });
    expect(created.status).to.equal(201);
    expect(created.body).to.have.keys(...USER_KEYS);
    const id = created.body.ID as string;
    const list = await api('GET', '/users?page=1&limit=10');
    expect(list.body).to.have.keys('data', 'meta');
    expect(list.body.meta).to.deep.equal({ total: 3, page: 1, limit: 10 });
    for (const user of list.body.data) expect(user).to.have.keys(...USER_KEYS);
    expect((await api('GET', `/users/${id}`)).body).to.include({ ID: id, Storage: 1_000_000 });
    const updated = await api('PUT', `/users/${id}`, { balance: 3 });
    expect([updated.status, updated.body.Balance]).to.deep.equal([200, 3]);
    expect((await api('POST', `/users/${id}/password`, { new_password: 'another long password' })).body).to.deep.equal({ message: 'Password updated successfully' });
    expect((await platform.call('POST', '/auth/login', { username: 'bob@example.test', password: 'another long password' }, {})).status).to.equal(200);
    expect((await api('DELETE', `/users/${id}`)).status).to.equal(204);
    expect((await api('GET', `/users/${id}`)).status).to.equal(404);
  });

  it('settings and pages: GET/PUT /api/settings, GET /api/pages, POST/PUT/DELETE /api/page', async () => {
    const settings = await api('GET', '/settings');
    expect(settings.body).to.have.keys(...SETTINGS_KEYS);
    expect(settings.body).to.include({ ID: 1, ProjectExampleVideo: EXAMPLE, UploadEnabled: 'true' });
    const put = await api('PUT', '/settings', { AppName: 'Our videos' });
    expect([put.status, put.body]).to.deep.equal([200, 'ok']);
    expect((await api('GET', '/config', undefined, {})).body.AppName).to.equal('Our videos');

    const created = await api('POST', '/page', { Path: 'faq', Title: 'FAQ', Html: '<p>Ask</p>', ListInFooter: false });
    expect([created.status, created.body]).to.deep.equal([200, 'ok']);
    const pages = (await api('GET', '/pages')).body as Json[];
    for (const page of pages) expect(page).to.have.keys('ID', 'CreatedAt', 'UpdatedAt', 'DeletedAt', 'Path', 'Title', 'Html', 'ListInFooter');
    const faq = pages.find((page) => page.Path === 'faq/')!;
    expect((await api('PUT', '/page', { WebPageID: faq.ID, Path: 'faq', Title: 'Questions', Html: '<p>Ask us</p>', ListInFooter: true })).body).to.equal('ok');
    expect((await api('GET', '/pages')).body.find((page: Json) => page.ID === faq.ID)).to.include({ Title: 'Questions', Html: '<p>Ask us</p>' });
    expect((await api('DELETE', '/page', { WebPageID: faq.ID })).body).to.equal('ok');
    expect((await api('GET', '/pages')).body.map((page: Json) => page.Path)).to.deep.equal(['imprint/']);
  });

  it('GET /api/admin/encodings and GET /api/versioncheck', async () => {
    const encodings = await api('GET', '/admin/encodings');
    expect(encodings.status).to.equal(200);
    expect(encodings.body).to.have.length(1);
    expect(encodings.body[0]).to.include({ id: link.ID, name: 'lecture.mkv', quality: '240p', progress: 0, username: 'ann@example.test' });
    expect(encodings.body[0]).to.have.keys('id', 'name', 'quality', 'progress', 'user_id', 'username');
    const current = JSON.parse(await readFile(new URL('../plugins/publish/package.json', import.meta.url), 'utf8')).version as string;
    const check = await api('GET', '/versioncheck');
    if (`v${current}` === VERSION_TAG) expect([check.status, check.body]).to.deep.equal([200, `You are using the latest version: ${current}`]);
    else expect([check.status, check.body.error.message]).to.deep.equal([400, `A new version is available: ${VERSION_TAG}. Current version: ${current}`]);
  });

  it('answers every admin route with 403 for a user who is not an admin', async () => {
    for (const [method, route] of ADMIN_ROUTES) {
      const refused = await api(method, route, method === 'GET' || method === 'DELETE' ? undefined : {}, ann);
      expect(refused.status, `${method} ${route}`).to.equal(403);
      expect(refused.body.error.message, `${method} ${route}`).to.be.a('string');
    }
  });
});
