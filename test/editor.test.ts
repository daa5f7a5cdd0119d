import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeSample } from './support/media.js';
import { tempDir } from './support/tempDir.js';
import { waitFor } from './support/waitFor.js';
import { bearerFor, request } from './support/http.js';
import { makeConf, rootDir, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { pythonDate, wevClient, wevSimpleClient } from './support/wev.js';

const run = promisify(execFile);

interface Received {
  event: string;
  body: any;
}

/** A partner's server: serves media to import and receives webhooks (refusing the first delivery to see it retried). */
async function partnerServer(media: Record<string, { type: string; data: Buffer }>) {
  const received: Received[] = [];
  let refusedOnce = false;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/hooks') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!refusedOnce) {
          refusedOnce = true;
          res.writeHead(503).end();
          return;
        }
        received.push({ event: String(req.headers['wev-event-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200).end('ok');
      });
      return;
    }
    const item = media[req.url ?? ''];
    if (!item) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': item.type, 'Content-Length': item.data.length }).end(item.data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function ffprobe(file: string): Promise<any> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout);
}
const samples = path.join(rootDir, 'test/support/wevSamples');

describe('editor: the WeVideo-compatible API', function () {
  this.timeout(120_000);
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let partner: { clientId: string; clientSecret: string };
  let other: { clientId: string; clientSecret: string };
  let base: string;
  let wev: ReturnType<typeof wevClient>;
  let java: ReturnType<typeof wevClient>;
  let simple: ReturnType<typeof wevSimpleClient>;
  let otherWev: ReturnType<typeof wevClient>;
  let partnerSite: Awaited<ReturnType<typeof partnerServer>>;
  let clip: Buffer;
  /** What the file tests imported, for the timeline tests. */
  const media = { owner: 0, video: 0, image: 0, sound: 0 };

  before(async () => {
    clip = await readFile(await makeSample({ seconds: 4, width: 1280, height: 720 }));
    const png = path.join(await tempDir('editor-image-'), 'image.png');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=320x240', '-frames:v', '1', png]);
    const audio = await readFile(await makeSample({ seconds: 3, videoless: true }));
    partnerSite = await partnerServer({
      '/clip.mkv': { type: 'video/x-matroska', data: clip },
      '/proxy.mkv': { type: 'video/x-matroska', data: clip },
      '/image.png': { type: 'image/png', data: await readFile(png) },
      '/song.m4a': { type: 'audio/mp4', data: audio },
      '/notes.txt': { type: 'text/plain', data: Buffer.from('not media at all') },
      '/MyFont.ttf': { type: 'font/ttf', data: await readFile('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf') },
      '/NotAFont.ttf': { type: 'font/ttf', data: Buffer.from('<html>not a font</html>') },
    });
    conf = await makeConf({
      plugins: ['editor'],
      server: { trustProxy: true, outbound: { allowedNetworks: ['127.0.0.1/32'], webhookRetryDelayMs: 200 } },
      files: { 'editorConf.json': { loginTokenSeconds: 3, proxy: { preset: 'superfast' }, export: { preset: 'ultrafast', width: 640, height: 360 } } },
    });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    partner = JSON.parse((await runServerJs(['--create-application', 'partner', '--scopes', 'editor'], { conf })).stdout);
    other = JSON.parse((await runServerJs(['--create-application', 'other', '--scopes', 'editor'], { conf })).stdout);
    base = `${ws.url}/editor`;
    wev = wevClient(base, partner.clientId, partner.clientSecret, 'python');
    java = wevClient(base, partner.clientId, partner.clientSecret, 'java');
    simple = wevSimpleClient(base, partner.clientSecret);
    otherWev = wevClient(base, other.clientId, other.clientSecret);
  });
  after(async () => {
    if (process.env.EDITOR_TEST_LOG) console.log((await import('node:fs')).readFileSync(path.join(conf.logDir, 'ws.log'), 'utf8').split('\n').filter((l) => /WEV|error/i.test(l)).slice(0, 10).join('\n'));
    await Promise.all([app?.stop(), ws?.stop(), partnerSite?.close()]);
  });

  const completed = (tickets: string[]) =>
    waitFor(async () => {
      const { body } = await wev('GET', `/api/4/files/status/${tickets.join(',')}`);
      return Object.values(body as Record<string, { status: string }>).every((t) => t.status !== 'TICKET_REGISTERED') ? body : undefined;
    }, 120_000, `tickets ${tickets.join(',')} to finish`);

  describe('instances, users, roles and settings', () => {
    let instanceId: number;
    let userId: number;

    it('creates users with numeric ids, refuses a second one with the same e-mail, and lists them page by page', async () => {
      const created = await wev('POST', '/api/3/users', { body: { firstName: 'Jonathon', lastName: 'Harrington', email: 'jonathon.harrington@example.com' } });
      expect(created.status).to.equal(200);
      expect(created.body).to.include({ firstName: 'Jonathon', lastName: 'Harrington', email: 'jonathon.harrington@example.com' });
      expect(created.body.userId).to.be.a('number');
      userId = created.body.userId;
      instanceId = created.body.instanceId;
      const duplicate = await java('POST', '/api/3/users', { body: { email: 'Jonathon.Harrington@example.com' } });
      expect(duplicate.status).to.equal(400);
      expect(duplicate.body).to.deep.equal({ success: false, message: 'A user already exists with the given e-mail', error_code: 'bad_request' });
      expect((await wev('POST', '/api/3/users', { body: { email: 'not an email' } })).status).to.equal(400);
      await wev('POST', '/api/3/users', { body: { email: 'second@example.com', role: 'lead' } });

      const page1 = await wev('GET', `/api/3/instances/${instanceId}/users?pageSize=1&page=1`);
      expect(page1.status).to.equal(200);
      expect(page1.body.metadata).to.deep.equal({ noResults: 3, page: 1, pageSize: 1 }); // the API user, then the two created
      const page3 = await wev('GET', `/api/3/instances/${instanceId}/users?pageSize=1&page=3`);
      expect(page3.body.data).to.have.length(1);
      expect(page3.body.data[0]).to.include({ email: 'second@example.com', role: 'lead', instanceId });
      expect(page3.body.data[0].rootFolderId).to.be.a('number');
    });

    it('modifies and removes a user, and keeps other partners out', async () => {
      expect((await wev('PUT', `/api/3/users/${userId}`, { body: { firstName: 'Jonathan', role: 'admin' } })).body).to.deep.equal({ success: true });
      const user = await wev('GET', `/api/3/users/${userId}`);
      expect(user.body).to.include({ firstName: 'Jonathan', lastName: 'Harrington', role: 'admin' });
      expect((await otherWev('GET', `/api/3/users/${userId}`)).status).to.equal(404);
      expect((await otherWev('PUT', `/api/3/users/${userId}`, { body: { firstName: 'X' } })).status).to.equal(404);
      expect((await otherWev('GET', `/api/3/instances/${instanceId}/users`)).status).to.equal(404);
      const doomed = await wev('POST', '/api/3/users', { body: { email: 'doomed@example.com' } });
      expect((await wev('DELETE', `/api/3/users/${doomed.body.userId}`)).body).to.deep.equal({ success: true });
      expect((await wev('GET', `/api/3/users/${doomed.body.userId}`)).status).to.equal(404);
      expect((await wev('GET', '/api/3/users/abc')).status).to.equal(400);
      const notJson = await request(`${base}/api/3/users`, { method: 'POST', headers: { Authorization: `WEVSIMPLE ${partner.clientSecret}`, 'Content-Type': 'application/json' }, body: '{not json' });
      expect(notJson.status, 'a body that is not JSON').to.equal(400);
      expect(notJson.body, "in WeVideo's error shape").to.deep.include({ success: false, error_code: 'bad_request' });
      // The instance's API user stays: /api/3/me and imports without a userId depend on it.
      const me = await wev('GET', '/api/3/me');
      const refused = await wev('DELETE', `/api/3/users/${me.body.userId}`);
      expect(refused.status).to.equal(409);
      expect(refused.body).to.deep.include({ success: false, error_code: 'conflict' });
      expect(refused.body.message).to.match(/API user .* cannot be removed/);
      expect((await wev('GET', '/api/3/me')).body).to.include({ userId: me.body.userId });
    });

    it('creates partner instances with an owner, lists them, and caps users at the licenses', async () => {
      const created = await wev('POST', '/api/4/partners/instance', { body: { instanceName: 'My new instance', licenses: 2, email: 'owner@example.com' } });
      expect(created.status).to.equal(200);
      expect(created.body.success).to.equal(true);
      expect(created.body.instanceId).to.be.a('number');
      expect(created.body.ownerId).to.be.a('number');
      const list = await wev('GET', '/api/4/partners/instances');
      const mine = list.body.instances.find((i: { instanceId: number }) => i.instanceId === created.body.instanceId);
      expect(mine).to.include({ name: 'My new instance', fullName: `My new instance_by_${created.body.ownerId}`, ownerId: created.body.ownerId });
      expect((await otherWev('GET', '/api/4/partners/instances')).body.instances.map((i: { instanceId: number }) => i.instanceId)).to.not.include(created.body.instanceId);
      const shared = await wev('GET', `/api/3/instances/${created.body.instanceId}`);
      expect(shared.body.sharedRootFolder).to.be.a('number');
      expect((await wev('POST', '/api/3/users', { body: { email: 'first@example.com', instanceId: created.body.instanceId } })).status).to.equal(200);
      const full = await wev('POST', '/api/3/users', { body: { email: 'third@example.com', instanceId: created.body.instanceId } });
      expect(full.status).to.equal(400);
      expect((await wev('POST', '/api/3/users', { body: { email: 'x@example.com', instanceId: 999999 } })).status).to.equal(404);
      expect((await wev('POST', '/api/4/partners/instance', { body: {} })).status).to.equal(400);
    });

    it('updates instance settings and global settings, refusing unknown keys', async () => {
      expect((await wev('POST', `/api/3/instance/${instanceId}/setting`, { body: { key: 'hubHeaderInIFrame', name: true } })).body).to.deep.equal({ success: true });
      expect((await wev('POST', `/api/3/instance/${instanceId}/setting`, { body: { key: 'HUB_HEADER_TABS_IN_IFRAME', value: 'media,exports' } })).status).to.equal(200);
      expect((await wev('POST', `/api/3/instance/${instanceId}/setting`, { body: { key: 'HUB_HEADER_TABS_IN_IFRAME', value: 'media,nope' } })).status).to.equal(400);
      expect((await wev('POST', `/api/3/instance/${instanceId}/setting`, { body: { key: 'unknown', value: 1 } })).status).to.equal(400);
      expect((await wev('GET', `/api/3/instance/${instanceId}/settings`)).body.settings).to.deep.equal({ hubHeaderInIFrame: true, HUB_HEADER_TABS_IN_IFRAME: 'media,exports' });

      const global = await wev('POST', `/api/4/instance/${instanceId}/settings`, { body: { properties: [{ key: 'ALLOW_ADMIN_CHANGE_PASSWORD', value: 1 }] } });
      expect(global.body).to.deep.include({ success: true });
      // The reference's own example sends its properties with GET.
      const read = await wev('GET', `/api/4/instance/${instanceId}/settings`, { body: { properties: [{ key: 'DEFAULT_BLUR', value: 1 }] } });
      expect(read.body.settings).to.deep.equal({ ALLOW_ADMIN_CHANGE_PASSWORD: 1, DEFAULT_BLUR: 1 });
      expect((await wev('POST', `/api/4/instance/${instanceId}/settings`, { body: { properties: [{ key: 'NOPE', value: 1 }] } })).status).to.equal(400);
      expect((await otherWev('POST', `/api/4/instance/${instanceId}/settings`, { body: {} })).status).to.equal(404);
    });

    it('lists the three roles, updates their properties and assigns them to users', async () => {
      const listed = await wev('GET', `/api/4/roles/instance/${instanceId}`);
      expect(listed.body.success).to.equal(true);
      expect(listed.body.roles.map((r: { ORIGINALNAME: string }) => r.ORIGINALNAME)).to.deep.equal(['Admin', 'Lead', 'User']);
      const userRole = listed.body.roles[2];
      expect(userRole).to.include({ NAME: 'User', DOWNLOAD_EXPORT: 1, PROJECT_INVITES: 'all' });
      expect(userRole.ID).to.be.a('number');
      const update = await wev('PUT', `/api/4/roles/${userRole.ID}`, { body: { properties: [{ key: 'NAME', value: 'My role name' }, { key: 'DOWNLOAD_EXPORT', value: 0 }] } });
      expect(update.body).to.deep.equal({ success: true });
      const after = (await wev('GET', `/api/4/roles/instance/${instanceId}`)).body.roles[2];
      expect(after).to.include({ NAME: 'My role name', ORIGINALNAME: 'User', DOWNLOAD_EXPORT: 0 });
      expect((await wev('PUT', `/api/4/roles/${userRole.ID}`, { body: { properties: [{ key: 'ID', value: 1 }] } })).status).to.equal(400);

      const second = (await wev('GET', `/api/3/instances/${instanceId}/users?page=3&pageSize=1`)).body.data[0];
      expect((await wev('POST', `/api/4/roles/${userRole.ID}/users`, { body: { userId, userIds: [second.userId] } })).body).to.deep.equal({ success: true });
      expect((await wev('GET', `/api/3/users/${userId}`)).body.role).to.equal('user');
      expect((await wev('GET', `/api/3/users/${second.userId}`)).body.role).to.equal('user');
      expect((await otherWev('PUT', `/api/4/roles/${userRole.ID}`, { body: { userId } })).status).to.equal(404);
      const lead = listed.body.roles[1];
      expect((await java('PUT', `/api/4/roles/${lead.ID}`, { body: { userId: 123, userIds: [userId] } })).status).to.equal(404);
      expect((await java('PUT', `/api/4/roles/${lead.ID}`, { body: { userIds: [userId] } })).body).to.deep.equal({ success: true });
      expect((await wev('GET', `/api/3/users/${userId}`)).body.role).to.equal('lead');
    });
  });

  describe('authentication', () => {
    it('accepts WEVSIMPLE <secret> and refuses a wrong secret in the WeVideo error shape', async () => {
      expect((await simple('GET', '/api/3/me')).status).to.equal(200);
      const refused = await wevSimpleClient(base, 'not-the-secret')('GET', '/api/3/me');
      expect(refused.status).to.equal(401);
      expect(refused.body).to.deep.equal({ success: false, message: 'Invalid credentials', error_code: 'unauthorized' });
    });

    it('answers the reference curl examples as written (WEVSIMPLE with its double space)', async () => {
      const curl = async (...args: string[]) => JSON.parse((await run('curl', ['-s', ...args])).stdout);
      const auth = `Authorization:  WEVSIMPLE ${partner.clientSecret}`;
      const created = await curl(`${base}/api/3/users`, '-X', 'POST', '-H', 'Content-Type: application/json', '-H', auth, '-d', '{\n    "firstName": "Curl",\n    "lastName": "Example",\n    "email": "curl.example@example.com"\n  }');
      expect(created).to.include({ firstName: 'Curl', lastName: 'Example', email: 'curl.example@example.com' });
      const me = await curl(`${base}/api/3/me`, '-H', auth);
      const listed = await curl(`${base}/api/3/instances/${me.instanceId}/users?pageSize=1&page=1`, '-X', 'GET', '-H', auth);
      expect(listed.metadata).to.include({ page: 1, pageSize: 1 });
      expect(await curl(`${base}/api/3/users/${created.userId}`, '-X', 'PUT', '-H', 'Content-Type: application/json', '-H', auth, '-d', '{"firstName": "Curled"}')).to.deep.equal({ success: true });
      expect(await curl(`${base}/api/3/users/${created.userId}`, '-X', 'DELETE', '-H', auth)).to.deep.equal({ success: true });
    });

    it('accepts a request signed as the Python sample signs it (GET with a JSON body), and as the Java one (no body)', async () => {
      const python = await wev('GET', '/api/3/me', { body: { email: 'someone@example.com' } });
      expect(python.status).to.equal(200);
      expect(python.body.apiKey).to.equal(partner.clientId);
      expect(python.body.userId).to.be.a('number');
      expect((await java('GET', '/api/3/me')).status).to.equal(200);
    });

    it('runs the reference Python sample itself', async () => {
      const { stdout } = await run('python3', [path.join(samples, 'python_sample.py')], {
        env: { ...process.env, WEV_APP_ID: partner.clientId, WEV_SECRET: partner.clientSecret, WEV_EMAIL: 'python@example.com', WEV_URL: `${base}/api/3/me` },
      });
      const [status, body] = stdout.split('\n');
      expect(status).to.equal('200');
      expect(JSON.parse(body!).apiKey).to.equal(partner.clientId);
    });

    it('runs the reference Java sample itself, with a query string in the signed URL', async () => {
      const me = await wev('GET', '/api/3/me');
      const { stdout } = await run('java', [path.join(samples, 'Main.java')], {
        env: { ...process.env, WEV_APP_ID: partner.clientId, WEV_SECRET: partner.clientSecret, WEV_URL: `${base}/api/3/instances/${me.body.instanceId}/users?pageSize=1&page=1` },
      });
      const [status, body] = stdout.split('\n');
      expect(status).to.equal('200');
      expect(JSON.parse(body!).metadata).to.deep.include({ page: 1, pageSize: 1 });
      // a JVM in Paris writes its Date as "… CET" (or CEST)
      const paris = await run('java', [path.join(samples, 'Main.java')], {
        env: { ...process.env, WEV_APP_ID: partner.clientId, WEV_SECRET: partner.clientSecret, WEV_TZ: 'Europe/Paris', WEV_URL: `${base}/api/3/me` },
      });
      expect(paris.stdout.split('\n')[0]).to.equal('200');
    });

    it('refuses a bad signature, a body that is not the one signed, another URL, and a stale or future Date', async () => {
      const wrongSecret = wevClient(base, partner.clientId, 'wrong');
      expect((await wrongSecret('GET', '/api/3/me')).status).to.equal(401);
      const tampered = await wev('POST', '/api/3/users', { body: { email: 'tampered@example.com' }, signedBody: '{"email": "signed@example.com"}' });
      expect(tampered.status).to.equal(401);
      expect((await wev('GET', '/api/3/me', { signedUrl: `${base}/api/3/me?x=1` })).status).to.equal(401);
      expect((await wev('GET', '/api/3/me', { date: pythonDate(new Date(Date.now() - 6 * 60_000)) })).status).to.equal(401);
      expect((await wev('GET', '/api/3/me', { date: pythonDate(new Date(Date.now() + 6 * 60_000)) })).status).to.equal(401);
      expect((await wev('GET', '/api/3/me', { date: pythonDate(new Date(Date.now() - 4 * 60_000)) })).status).to.equal(200);
      expect((await wev('GET', '/api/3/me', { date: 'not a date' })).status).to.equal(401);
      const unknownKey = wevClient(base, 'unknown-key', partner.clientSecret);
      expect((await unknownKey('GET', '/api/3/me')).status).to.equal(401);
    });

    it('checks the signature against the URL the partner called, https behind a trusted proxy', async () => {
      const host = new URL(ws.url).host;
      const behindProxy = wevClient(base, partner.clientId, partner.clientSecret);
      const headers = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'editor.partner-facing.example' };
      expect((await behindProxy('GET', '/api/3/me', { signedUrl: 'https://editor.partner-facing.example/editor/api/3/me', headers })).status).to.equal(200);
      expect((await behindProxy('GET', '/api/3/me', { signedUrl: `http://${host}/editor/api/3/me`, headers })).status).to.equal(401);
    });

    it('gives a new partner one default instance, even when its first calls arrive together', async () => {
      const racer = JSON.parse((await runServerJs(['--create-application', 'racer', '--scopes', 'editor'], { conf })).stdout);
      const call = wevClient(base, racer.clientId, racer.clientSecret);
      const answers = await Promise.all(Array.from({ length: 5 }, () => call('GET', '/api/3/me')));
      expect(new Set(answers.map((a) => a.body.instanceId)).size, JSON.stringify(answers.map((a) => [a.status, a.body]))).to.equal(1);
      const instances = (await call('GET', '/api/4/partners/instances')).body.instances;
      expect(instances.map((i: { instanceId: number }) => i.instanceId)).to.deep.equal([answers[0]!.body.instanceId]);
      expect((await call('GET', `/api/3/instances/${answers[0]!.body.instanceId}/users`)).body.metadata.noResults).to.equal(1);
    });

    it('refuses a body whose Content-MD5 does not match it', async () => {
      const res = await wev('POST', '/api/3/users', { body: { email: 'md5@example.com' }, headers: { 'Content-MD5': '0123456789abcdef0123456789abcdef' } });
      expect(res.status).to.equal(401);
    });

    it('accepts the core Bearer tokens with the editor scope, and refuses applications without it', async () => {
      const bearer = await bearerFor(ws.url, partner.clientId, partner.clientSecret);
      const me = await request(`${base}/api/3/me`, { headers: bearer });
      expect(me.status).to.equal(200);
      expect(me.body.apiKey).to.equal(partner.clientId);
      const unrelated = JSON.parse((await runServerJs(['--create-application', 'unrelated'], { conf })).stdout);
      expect((await wevSimpleClient(base, unrelated.clientSecret)('GET', '/api/3/me')).status).to.equal(403);
      expect((await wevClient(base, unrelated.clientId, unrelated.clientSecret)('GET', '/api/3/me')).status).to.equal(403);
      expect((await request(`${base}/api/3/me`)).status).to.equal(401);
    });
  });

  describe('SSO', () => {
    it('issues a one-time login token that opens a browser session once', async () => {
      const user = await wev('POST', '/api/3/users', { body: { email: 'sso@example.com' } });
      const auth = await wev('POST', '/api/3/sso/auth', { body: { email: 'sso@example.com' } });
      expect(auth.status).to.equal(200);
      expect(auth.body.userId).to.equal(user.body.userId);
      expect(auth.body.loginToken).to.match(/^[0-9a-f-]{36}$/);
      const login = await request(`${app.url}/editor/api/3/sso/login/${auth.body.loginToken}`, { headers: { Origin: 'https://partner.example' } });
      expect(login.status).to.equal(200);
      expect(login.body).to.deep.equal({ success: true });
      expect(login.headers.get('access-control-allow-origin')).to.equal('https://partner.example');
      expect(login.headers.get('access-control-allow-credentials')).to.equal('true');
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).to.match(/wev_session=[^;]+;.*httponly/i);
      expect(cookie).to.match(/samesite=lax/i);
      const reused = await request(`${app.url}/editor/api/3/sso/login/${auth.body.loginToken}`);
      expect(reused.status).to.equal(401);
      expect(reused.body.success).to.equal(false);

      // the session opens the hub and the editor, both embeddable in a partner's iframe
      const session = { Cookie: cookie.split(';')[0]! };
      const hub = await request(`${app.url}/editor/hub`, { headers: session });
      expect(hub.status).to.equal(200);
      expect(hub.headers.get('content-type')).to.contain('text/html');
      expect(hub.headers.get('x-frame-options')).to.equal(null);
      expect(hub.headers.get('content-security-policy')).to.contain('frame-ancestors *');
      expect(hub.body).to.contain('No timeline yet');
      const editor = await request(`${app.url}/editor/api/3/editor`, { headers: session });
      expect(editor.status).to.equal(302);
      const page = await request(`${app.url}${editor.headers.get('location')}`, { headers: session });
      expect(page.status).to.equal(200);
      expect(page.body).to.contain('<title>My video – Editor</title>');
      expect((await request(`${app.url}/editor/hub`, { headers: session })).body).to.contain('My video');
      expect((await request(`${app.url}/editor/hub`)).status).to.equal(401);
      expect((await request(`${app.url}${editor.headers.get('location')}`)).status).to.equal(401);
      expect((await request(`${app.url}/editor/hub`, { headers: { Cookie: 'wev_session=forged' } })).status).to.equal(401);
    });

    it('lets only one of several simultaneous logins with the same token through', async () => {
      const auth = await wev('POST', '/api/3/sso/auth', { body: { email: 'sso@example.com' } });
      const tries = await Promise.all(Array.from({ length: 6 }, () => request(`${app.url}/editor/api/3/sso/login/${auth.body.loginToken}`)));
      expect(tries.map((t) => t.status).sort()).to.deep.equal([200, 401, 401, 401, 401, 401]);
    });

    it('sets SameSite=None; Secure over TLS (behind a trusted proxy), for the iframe, and redirects to the editor with target=editor', async () => {
      const auth = await wev('POST', '/api/3/sso/auth', { body: { email: 'sso@example.com' } });
      const login = await request(`${app.url}/editor/api/3/sso/login/${auth.body.loginToken}?target=editor`, { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(login.status).to.equal(302);
      expect(login.headers.get('location')).to.equal('/editor/api/3/editor');
      expect(login.headers.get('set-cookie')).to.match(/samesite=none/i).and.match(/secure/i);
    });

    it('refuses an expired token, an unknown user and a user of another partner', async () => {
      const auth = await wev('POST', '/api/3/sso/auth', { body: { email: 'sso@example.com' } });
      await new Promise((resolve) => setTimeout(resolve, 3500));
      expect((await request(`${app.url}/editor/api/3/sso/login/${auth.body.loginToken}`)).status).to.equal(401);
      expect((await wev('POST', '/api/3/sso/auth', { body: { email: 'nobody@example.com' } })).status).to.equal(404);
      expect((await otherWev('POST', '/api/3/sso/auth', { body: { email: 'sso@example.com' } })).status).to.equal(404);
      expect((await wev('POST', '/api/3/sso/auth', { body: {} })).status).to.equal(400);
    });
  });

  describe('folders and files', () => {
    let owner: { userId: number; rootFolderId: number };

    it('lists and creates folders below a user root folder and the shared one', async () => {
      owner = (await wev('POST', '/api/3/users', { body: { email: 'media@example.com' } })).body;
      const a = await wev('POST', `/api/3/media/${owner.rootFolderId}/folder`, { body: { name: 'Folder A' } });
      expect(a.body.id).to.be.a('number');
      await wev('POST', `/api/3/media/${owner.rootFolderId}/folder`, { body: { name: 'Folder B' } });
      const listed = await wev('GET', `/api/3/media/${owner.rootFolderId}/folders`);
      expect(listed.body).to.deep.equal({ data: [{ title: 'Folder B', id: a.body.id + 1 }, { title: 'Folder A', id: a.body.id }], metadata: { noResults: 2, page: 1, pageSize: 20 } });
      const me = await wev('GET', '/api/3/me');
      const shared = (await wev('GET', `/api/3/instances/${me.body.instanceId}`)).body.sharedRootFolder;
      expect((await wev('POST', `/api/3/media/${shared}/folder`, { body: { name: 'Team' } })).status).to.equal(200);
      expect((await wev('GET', `/api/3/media/${shared}/folders`)).body.data.map((f: { title: string }) => f.title)).to.deep.equal(['Team']);
      expect((await otherWev('GET', `/api/3/media/${owner.rootFolderId}/folders`)).status).to.equal(404);
      expect((await wev('POST', `/api/3/media/${owner.rootFolderId}/folder`, { body: {} })).status).to.equal(400);
    });

    it('imports a video (with its 480x272 proxy), an image and a sound from URLs, with titles, owner and folder', async () => {
      const folder = (await wev('GET', `/api/3/media/${owner.rootFolderId}/folders`)).body.data[0].id;
      const imported = await wev('POST', '/api/4/files/import', {
        body: { urls: [`${partnerSite.url}/clip.mkv`, { url: `${partnerSite.url}/image.png`, title: 'My image' }, { url: `${partnerSite.url}/song.m4a` }], userId: owner.userId, folderId: folder },
      });
      expect(imported.status).to.equal(200);
      expect(imported.body.success).to.equal(true);
      expect(imported.body.tickets).to.have.length(3);
      for (const ticket of imported.body.tickets) expect(ticket).to.match(/^\d{4}_\d{2}_\d{2}_[0-9a-f-]{36}$/);
      const status = await completed(imported.body.tickets);
      const [video, image, sound] = imported.body.tickets.map((t: string) => status[t]);
      for (const entry of [video, image, sound]) {
        expect(entry.status).to.equal('COMPLETED');
        expect(entry.fileId).to.be.a('number');
      }
      const listed = await wev('GET', `/api/3/users/${owner.userId}/media?pageSize=10`);
      expect(listed.body.metadata.noResults).to.equal(3);
      const byId = Object.fromEntries(listed.body.data.map((f: { id: number }) => [f.id, f]));
      expect(byId[video.fileId]).to.include({ type: 'video', title: 'clip', width: 1280, height: 720, folderId: folder });
      expect(byId[video.fileId].duration).to.be.closeTo(4000, 100);
      expect(byId[image.fileId]).to.include({ type: 'image', title: 'My image', mimetype: 'image/png', width: 320, height: 240 });
      expect(byId[sound.fileId]).to.include({ type: 'audio', title: 'song' });
      Object.assign(media, { owner: owner.userId, video: video.fileId, image: image.fileId, sound: sound.fileId });

      const proxy = await ffprobe(path.join(conf.dataDir, 'storage/editor/files', String(video.fileId), 'proxy.mp4'));
      const stream = proxy.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
      expect(stream).to.include({ codec_name: 'h264', width: 480, height: 270, profile: 'High', pix_fmt: 'yuv420p', avg_frame_rate: '25/1' });
      expect(Number(proxy.format.duration)).to.be.closeTo(4, 0.2);
    });

    it('imports a video with a pregenerated proxy as is, and into the API user root folder when no user is named', async () => {
      const imported = await wev('POST', '/api/4/files/import', { body: { urls: [{ url: `${partnerSite.url}/clip.mkv`, title: 'With proxy', proxyUrl: `${partnerSite.url}/proxy.mkv` }] } });
      const status = await completed(imported.body.tickets);
      const fileId = status[imported.body.tickets[0]].fileId;
      const proxy = await readFile(path.join(conf.dataDir, 'storage/editor/files', String(fileId), 'proxy.mp4'));
      expect(proxy.equals(clip)).to.equal(true);
      const file = await wev('GET', `/api/4/files/${fileId}`);
      const me = await wev('GET', '/api/3/me');
      expect(file.body).to.include({ userId: me.body.userId, folderId: me.body.rootFolderId, title: 'With proxy' });
    });

    it('fails a ticket whose URL is not media or points at a private address, and refuses non-web URLs outright', async () => {
      const imported = await wev('POST', '/api/4/files/import', { body: { urls: [`${partnerSite.url}/notes.txt`, 'http://192.168.77.1/video.mp4', `${partnerSite.url}/missing.mp4`] } });
      const status = await completed(imported.body.tickets);
      for (const ticket of imported.body.tickets) expect(status[ticket].status).to.equal('FAILED');
      expect((await wev('POST', '/api/4/files/import', { body: { urls: ['file:///etc/passwd'] } })).status).to.equal(400);
      expect((await wev('POST', '/api/4/files/import', { body: { urls: [] } })).status).to.equal(400);
      expect((await otherWev('GET', `/api/4/files/status/${imported.body.tickets[0]}`)).status).to.equal(404);
      expect((await wev('GET', '/api/4/files/status/not-a-ticket')).status).to.equal(400);
    });

    it('hands out upload tickets whose URL takes one PUT of the file, no larger than announced, until it expires', async () => {
      const created = await wev('POST', '/api/4/files/upload', { body: { fileData: [{ size: clip.length, title: 'Uploaded clip' }, { size: 10 }], userId: owner.userId } });
      expect(created.status).to.equal(200);
      expect(created.body.success).to.equal(true);
      expect(created.body.expires).to.be.greaterThan(Date.now());
      const [ticket, small] = created.body.tickets;
      expect(ticket).to.include({ size: clip.length });
      expect(ticket.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/editor\/uploads\//);
      expect((await wev('GET', `/api/4/files/status/${ticket.id}`)).body[ticket.id]).to.deep.equal({ status: 'TICKET_REGISTERED' });

      const tampered = ticket.url.replace(/Signature=[^&]+/, 'Signature=AAAA');
      expect((await fetch(tampered, { method: 'PUT', body: new Uint8Array(clip) })).status).to.equal(403);
      expect((await fetch(small.url, { method: 'PUT', body: new Uint8Array(100) })).status).to.equal(413);
      const puts = await Promise.all([1, 2, 3].map(() => fetch(ticket.url, { method: 'PUT', body: new Uint8Array(clip) })));
      expect(puts.map((p) => p.status).sort()).to.deep.equal([200, 409, 409]);
      expect((await fetch(ticket.url, { method: 'PUT', body: new Uint8Array(clip) })).status).to.equal(409);
      const status = await completed([ticket.id]);
      expect(status[ticket.id].status).to.equal('COMPLETED');
      expect((await wev('GET', `/api/4/files/${status[ticket.id].fileId}`)).body).to.include({ title: 'Uploaded clip', type: 'video', folderId: owner.rootFolderId });
      // the signature covers the expiry: a URL cannot be extended (expiry itself: services/intake.test.ts)
      const extended = small.url.replace(/Expires=\d+/, `Expires=${Date.now() + 24 * 3600_000}`);
      expect((await fetch(extended, { method: 'PUT', body: Buffer.alloc(5) })).status).to.equal(403);
    });
  });

  describe('timelines, templates and webhooks', () => {
    let instanceId: number;
    let timelineId: number;
    const events = (type: string) => partnerSite.received.filter((r) => r.event === type);
    const eventFor = (type: string, id: number) => waitFor(() => events(type).find((r) => r.body.payload?.id === id), 30_000, `${type} for ${id}`);

    it('registers, lists and deletes webhooks per instance and event', async () => {
      instanceId = (await wev('GET', `/api/3/users/${media.owner}`)).body.instanceId;
      for (const event of ['timelineCreated', 'timelineDeleted', 'templateCreated', 'templateDeleted', 'timelineOpened']) {
        const registered = await wev('POST', '/api/4/webhooks', { body: { url: `${partnerSite.url}/hooks`, event, instanceId } });
        expect(registered.body.success, JSON.stringify(registered.body)).to.equal(true);
      }
      const extra = await wev('POST', '/api/4/webhooks', { body: { url: `${partnerSite.url}/other`, event: 'exportStarting' } });
      const listed = await wev('GET', `/api/4/webhooks/instance/${instanceId}`);
      expect(listed.body.success).to.equal(true);
      expect(listed.body.webhooks).to.have.length(6);
      expect(listed.body.webhooks[0]).to.have.keys(['event', 'url', 'created', 'id']);
      expect((await wev('GET', `/api/4/webhooks/${instanceId}`)).body.webhooks).to.have.length(6);
      expect((await otherWev('DELETE', `/api/4/webhooks/${extra.body.id}`)).status).to.equal(404);
      expect((await wev('DELETE', `/api/4/webhooks/${extra.body.id}`)).body).to.deep.equal({ success: true });
      expect((await wev('GET', `/api/4/webhooks/instance/${instanceId}`)).body.webhooks).to.have.length(5);
      expect((await wev('POST', '/api/4/webhooks', { body: { url: `${partnerSite.url}/hooks`, event: 'nope' } })).status).to.equal(400);
    });

    it('creates a timeline of clips, a transition, texts and music, announced by timelineCreated (retried past a refusal)', async () => {
      const created = await wev('POST', '/api/4/timelines', {
        body: {
          title: 'My video',
          userId: media.owner,
          tracks: [
            { type: 'video', clips: [{ fileId: media.video, in: 500, out: 2500 }, { fileId: media.image, out: 1500, transition: { type: 'fade', duration: 500 } }] },
            { type: 'text', texts: [{ text: 'Hello', start: 0, duration: 1500, font: 'DejaVu Sans', size: 40, color: '#ffcc00' }] },
            { type: 'audio', clips: [{ fileId: media.sound, start: 500, volume: 0.5 }] },
          ],
        },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(200);
      timelineId = created.body.timelineId;
      expect(timelineId).to.be.a('number');
      const timeline = await wev('GET', `/api/4/timelines/${timelineId}`);
      expect(timeline.body).to.include({ title: 'My video', userId: media.owner, duration: 3500 });
      const hook = await eventFor('timelineCreated', timelineId);
      expect(hook.body).to.include({ userId: media.owner, instanceId, type: 'timelineCreated' });
      expect(hook.body.id).to.match(/^[0-9a-f-]{36}$/);
      expect(hook.body.payload).to.deep.equal({ id: timelineId, instanceId, title: 'My video', duration: 3500 });
      const listed = await wev('GET', `/api/3/users/${media.owner}/timelines`);
      expect(listed.body.data.map((t: { id: number }) => t.id)).to.include(timelineId);
    });

    it('refuses timelines with files of elsewhere, out points past the end, or a bad colour', async () => {
      const bad = (tracks: unknown) => wev('POST', '/api/4/timelines', { body: { title: 'Bad', userId: media.owner, tracks } });
      expect((await bad([{ type: 'video', clips: [{ fileId: 999999 }] }])).status).to.equal(400);
      expect((await bad([{ type: 'video', clips: [{ fileId: media.video, out: 60_000 }] }])).status).to.equal(400);
      expect((await bad([{ type: 'text', texts: [{ text: 'x', start: 0, duration: 10, color: 'red' }] }])).status).to.equal(400);
      expect((await otherWev('GET', `/api/4/timelines/${timelineId}`)).status).to.equal(404);
    });

    it('copies a timeline to a user', async () => {
      const receiver = await wev('POST', '/api/3/users', { body: { email: 'receiver@example.com' } });
      const copy = await wev('POST', `/api/4/timelines/${timelineId}/copy/${receiver.body.userId}`);
      expect(copy.body.success).to.equal(true);
      expect(copy.body.timelineId).to.not.equal(timelineId);
      const theirs = await wev('GET', `/api/3/users/${receiver.body.userId}/timelines`);
      expect(theirs.body.data).to.have.length(1);
      expect(theirs.body.data[0]).to.include({ id: copy.body.timelineId, title: 'My video', duration: 3500 });
      expect((await otherWev('POST', `/api/4/timelines/${timelineId}/copy/${receiver.body.userId}`)).status).to.equal(404);
    });

    it('makes a template of a timeline, modifies, searches, instantiates and deletes it, with its webhooks', async () => {
      const made = await wev('POST', `/api/4/templates/fromtimeline/${timelineId}`, { body: { status: 'published' } });
      expect(made.body.success).to.equal(true);
      const templateId = made.body.templateId;
      expect((await eventFor('templateCreated', templateId)).body.payload).to.deep.equal({ id: templateId, instanceId, title: 'My video', duration: 3500 });
      expect((await wev('PUT', `/api/4/templates/${templateId}`, { body: { status: 'draft', title: 'My new template title' } })).body).to.deep.equal({ success: true });
      expect((await wev('PUT', `/api/4/templates/${templateId}`, { body: { status: 'gone' } })).status).to.equal(400);

      const byIds = await wev('POST', `/api/4/templates/search?ids=${templateId},999999`);
      expect(byIds.body.metadata).to.deep.equal({ noResults: 1, page: 1, pageSize: 20 });
      expect(byIds.body.data[0]).to.include({ id: templateId, title: 'My new template title', status: 'draft', global: false, duration: 3500 });
      expect((await wev('POST', `/api/4/templates/search?userId=${media.owner}`)).body.data.map((t: { id: number }) => t.id)).to.deep.equal([templateId]);
      expect((await wev('POST', `/api/4/templates/search?instanceId=${instanceId}&global=true`)).body.metadata.noResults).to.equal(0);
      expect((await wev('POST', `/api/4/templates/search?instanceId=${instanceId}&global=false`)).body.metadata.noResults).to.equal(1);
      expect((await otherWev('POST', `/api/4/templates/search?ids=${templateId}`)).body.metadata.noResults).to.equal(0);
      expect((await wev('POST', '/api/4/templates/search?ids=a,b')).status).to.equal(400);

      const fromTemplate = await wev('POST', `/api/4/templates/${templateId}/timeline`, { body: { title: 'My new timeline title' } });
      expect(fromTemplate.body.success).to.equal(true);
      expect((await wev('GET', `/api/4/timelines/${fromTemplate.body.timelineId}`)).body).to.include({ title: 'My new timeline title', duration: 3500, userId: media.owner });

      expect((await wev('DELETE', `/api/4/templates/${templateId}`)).body).to.deep.equal({ success: true });
      expect((await eventFor('templateDeleted', templateId)).body.payload).to.deep.equal({ id: templateId, instanceId, title: 'My new template title' });
      expect((await wev('DELETE', `/api/4/templates/${templateId}`)).status).to.equal(404);
    });

    it('deletes a timeline with timelineDeleted, and opens the editor on a new timeline with a file', async () => {
      const doomed = await wev('POST', '/api/4/timelines', { body: { title: 'Doomed', userId: media.owner, tracks: [] } });
      expect((await wev('DELETE', `/api/4/timelines/${doomed.body.timelineId}`)).body).to.deep.equal({ success: true });
      expect((await eventFor('timelineDeleted', doomed.body.timelineId)).body.payload).to.deep.equal({ id: doomed.body.timelineId, instanceId, title: 'Doomed' });
      expect((await wev('GET', `/api/4/timelines/${doomed.body.timelineId}`)).status).to.equal(404);

      const opened = await wev('GET', `/api/4/editor/withfile/${media.video}`);
      expect(opened.status).to.equal(302);
      const match = /\/editor\/api\/3\/editor\/(\d+)$/.exec(opened.headers.get('location')!);
      expect(opened.headers.get('location')!.startsWith(app.url)).to.equal(true);
      const withFile = await wev('GET', `/api/4/timelines/${match![1]}`);
      expect(withFile.body).to.include({ title: 'clip', userId: media.owner });
      expect(withFile.body.duration).to.be.closeTo(4000, 100);
      expect((await otherWev('GET', `/api/4/editor/withfile/${media.video}`)).status).to.equal(404);
    });
  });

  describe('fonts, exports and usage reports', () => {
    let instanceId: number;
    const report = async (metric: string, from = 0, to = Date.now() + 60_000) => (await wev('GET', `/api/4/instance/report/${instanceId}/usage/${metric}/${from}/${to}`)).body;
    const hook = (type: string, exportId: string) => waitFor(() => partnerSite.received.find((r) => r.event === type && r.body.payload?.exportId === exportId), 120_000, `${type} of ${exportId}`);

    it('adds a .ttf font fetched from a URL, refuses what is not one, lists, deletes, and sets font settings', async () => {
      instanceId = (await wev('GET', `/api/3/users/${media.owner}`)).body.instanceId;
      expect((await wev('POST', `/api/4/instance/${instanceId}/fonts`, { body: { url: `${partnerSite.url}/MyFont.ttf`, name: 'My cool font' } })).body).to.deep.equal({ success: true });
      expect((await wev('POST', `/api/4/instance/${instanceId}/fonts`, { body: { url: `${partnerSite.url}/MyFont.ttf`, name: 'MyFont1' } })).body).to.deep.equal({ success: true });
      const bad = await wev('POST', `/api/4/instance/${instanceId}/fonts`, { body: { url: `${partnerSite.url}/NotAFont.ttf`, name: 'Broken' } });
      expect(bad.status).to.equal(400);
      expect(bad.body.message).to.contain('.ttf');
      expect((await wev('POST', `/api/4/instance/${instanceId}/fonts`, { body: { url: 'http://192.168.77.1/font.ttf', name: 'Private' } })).status).to.equal(400);
      expect((await wev('POST', `/api/4/instance/${instanceId}/fonts`, { body: { url: `${partnerSite.url}/MyFont.ttf`, name: 'MyFont1' } })).status).to.equal(409);
      expect((await wev('GET', `/api/4/instance/${instanceId}/fonts`)).body).to.deep.equal({ success: true, fonts: ['My cool font', 'MyFont1'] });
      expect((await wev('DELETE', `/api/4/instance/${instanceId}/fonts`, { body: { name: 'MyFont1' } })).body).to.deep.equal({ success: true });
      expect((await wev('GET', `/api/4/instance/${instanceId}/fonts`)).body.fonts).to.deep.equal(['My cool font']);
      expect((await wev('DELETE', `/api/4/instance/${instanceId}/fonts`, { body: { name: 'MyFont1' } })).status).to.equal(404);
      // a removed font's name can be given to a new font, listed again, and removed again
      expect((await wev('POST', `/api/4/instance/${instanceId}/fonts`, { body: { url: `${partnerSite.url}/MyFont.ttf`, name: 'MyFont1' } })).status).to.equal(200);
      expect((await wev('GET', `/api/4/instance/${instanceId}/fonts`)).body.fonts).to.deep.equal(['My cool font', 'MyFont1']);
      expect((await wev('DELETE', `/api/4/instance/${instanceId}/fonts`, { body: { name: 'MyFont1' } })).status).to.equal(200);

      const settings = await wev('POST', `/api/4/instance/${instanceId}/fonts/settings`, { body: { standardFont: 'My cool font', textColors: '#028BFF,#ffffff,#000000,#f9d713', allColors: true } });
      expect(settings.body).to.deep.equal({ success: true });
      const read = (await wev('GET', `/api/4/instance/${instanceId}/fonts/settings`)).body;
      expect(read.settings).to.deep.equal({ standardFont: 'My cool font', textColors: ['#028BFF', '#ffffff', '#000000', '#f9d713'], allColors: true });
      expect(read.available).to.deep.equal(['DejaVu Sans', 'DejaVu Serif', 'My cool font']);
      await wev('POST', `/api/4/instance/${instanceId}/fonts/settings`, { body: { disableDefaultFonts: true } });
      expect((await wev('GET', `/api/4/instance/${instanceId}/fonts/settings`)).body.available).to.deep.equal(['My cool font']);
      expect((await wev('POST', `/api/4/instance/${instanceId}/fonts/settings`, { body: { textColors: 'red' } })).status).to.equal(400);
      expect((await otherWev('GET', `/api/4/instance/${instanceId}/fonts`)).status).to.equal(404);
    });

    it('exports a timeline from the API: exportStarting, then exportEnding with the file, listed in the user exports', async () => {
      for (const event of ['exportStarting', 'exportEnding']) await wev('POST', '/api/4/webhooks', { body: { url: `${partnerSite.url}/hooks`, event, instanceId } });
      const exportsBefore = (await report('exports')).result;
      const editedBefore = (await report('exportedEdits')).result;
      const { timelineId } = (
        await wev('POST', '/api/4/timelines', {
          body: {
            title: 'Fonts and music',
            userId: media.owner,
            tracks: [
              { type: 'video', clips: [{ fileId: media.image, out: 1000 }, { fileId: media.video, in: 0, out: 1500, transition: { type: 'wipeleft', duration: 400 } }] },
              { type: 'text', texts: [{ text: 'Custom font', start: 200, duration: 1000, font: 'My cool font', size: 30, color: '#00ff00' }] },
              { type: 'audio', clips: [{ fileId: media.sound, start: 300, out: 2500, volume: 0.8 }] },
            ],
          },
        })
      ).body;
      const started = await wev('POST', `/api/4/timelines/${timelineId}/export`, { body: { title: 'My Project', description: 'My amazing video' } });
      expect(started.body.success).to.equal(true);
      const { exportId } = started.body;
      expect(exportId).to.match(/^\d{4}_\d{2}_\d{2}_[0-9a-f-]{36}$/);
      const starting = await hook('exportStarting', exportId);
      expect(starting.body).to.include({ type: 'exportStarting', userId: media.owner, instanceId });
      // 1000 + 1500 - 400 = 2100 ms of pictures, but the music plays from 300 to 300 + 2500
      expect(starting.body.payload).to.deep.equal({ exportId, userId: media.owner, instanceId, duration: 2800, title: 'My Project', timelineId });
      const ending = await hook('exportEnding', exportId);
      expect(ending.body.payload).to.include({ exportId, status: 'COMPLETED', description: 'My amazing video', timelineId, duration: 2800 });
      const mp4 = path.join(conf.dataDir, 'storage/editor/files', String(ending.body.payload.fileId), 'source.mp4');
      expect(Number((await ffprobe(mp4)).format.duration)).to.be.closeTo(2.8, 0.1);
      const head = await fetch(ending.body.payload.urls.file, { headers: { Range: 'bytes=0-99' } });
      expect(head.status).to.equal(206);
      expect((await head.arrayBuffer()).byteLength).to.equal(100);
      expect((await fetch(ending.body.payload.urls.file.replace(/Signature=[^&]+/, 'Signature=x'))).status).to.equal(403);

      const listed = (await wev('GET', `/api/3/users/${media.owner}/exports`)).body;
      expect(listed.data.find((e: { exportId: string }) => e.exportId === exportId)).to.include({ status: 'COMPLETED', fileId: ending.body.payload.fileId, fileSize: ending.body.payload.fileSize });
      expect((await wev('GET', `/api/4/exports/${exportId}`)).body.progress).to.equal(100);
      expect((await otherWev('GET', `/api/4/exports/${exportId}`)).status).to.equal(404);

      await wev('POST', `/api/4/timelines/${timelineId}/export`);
      await waitFor(async () => (await report('exports')).result === exportsBefore + 2 || undefined, 120_000, 'the second export');
      expect((await report('exportedEdits')).result).to.equal(editedBefore + 1);
    });

    it('reports FAILED in exportEnding when rendering cannot succeed', async () => {
      const imported = await wev('POST', '/api/4/files/import', { body: { urls: [`${partnerSite.url}/clip.mkv`], userId: media.owner } });
      const status = await completed(imported.body.tickets);
      const fileId = status[imported.body.tickets[0]].fileId;
      const { timelineId } = (await wev('POST', '/api/4/timelines', { body: { title: 'Broken', userId: media.owner, tracks: [{ type: 'video', clips: [{ fileId, out: 1000 }] }] } })).body;
      await rm(path.join(conf.dataDir, 'storage/editor/files', String(fileId)), { recursive: true });
      const { exportId } = (await wev('POST', `/api/4/timelines/${timelineId}/export`)).body;
      const ending = await hook('exportEnding', exportId);
      expect(ending.body.payload).to.include({ exportId, status: 'FAILED', timelineId });
      expect(ending.body.payload).to.not.have.property('fileId');
      expect((await wev('GET', `/api/4/exports/${exportId}`)).body.status).to.equal('FAILED');
    });

    it('counts uploads, edits, exports and exported edits between two timestamps', async () => {
      const now = Date.now();
      const uploads = await report('uploads', 1516293713825, now + 60_000);
      expect(uploads).to.include({ property: 'uploads', from: 1516293713825, fromString: '20180118164153', description: 'Total number of files uploaded in the given interval' });
      expect(uploads.result).to.be.greaterThan(0);
      expect((await report('uploads', 1516293713825, 1526293713825)).result).to.equal(0);
      const edits = (await report('edits')).result;
      await wev('POST', '/api/4/timelines', { body: { title: 'One more', userId: media.owner, tracks: [] } });
      expect((await report('edits')).result).to.equal(edits + 1);
      const imported = await wev('POST', '/api/4/files/import', { body: { urls: [`${partnerSite.url}/image.png`], userId: media.owner } });
      await completed(imported.body.tickets);
      expect((await report('uploads')).result).to.equal(uploads.result + 1);
      expect((await wev('GET', `/api/4/instance/report/${instanceId}/usage/views/0/1`)).status).to.equal(400);
      expect((await wev('GET', `/api/4/instance/report/${instanceId}/usage/uploads/10/1`)).status).to.equal(400);
      expect((await otherWev('GET', `/api/4/instance/report/${instanceId}/usage/uploads/0/1`)).status).to.equal(404);
    });
  });
});
