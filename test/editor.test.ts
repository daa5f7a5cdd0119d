import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { bearerFor, request } from './support/http.js';
import { makeConf, rootDir, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { pythonDate, wevClient, wevSimpleClient } from './support/wev.js';

const run = promisify(execFile);
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

  before(async () => {
    conf = await makeConf({ plugins: ['editor'], server: { outbound: { allowedNetworks: ['127.0.0.1/32'] } }, files: { 'editorConf.json': { proxy: { preset: 'ultrafast' }, export: { preset: 'ultrafast', width: 640, height: 360 } } } });
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
    await Promise.all([app?.stop(), ws?.stop()]);
  });

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
    });
  });

  describe('authentication', () => {
    it('accepts WEVSIMPLE <secret> and refuses a wrong secret in the WeVideo error shape', async () => {
      expect((await simple('GET', '/api/3/me')).status).to.equal(200);
      const refused = await wevSimpleClient(base, 'not-the-secret')('GET', '/api/3/me');
      expect(refused.status).to.equal(401);
      expect(refused.body).to.deep.equal({ success: false, message: 'Invalid credentials', error_code: 'unauthorized' });
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
});
