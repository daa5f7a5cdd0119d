import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { basic, bearerFor, request, type JsonResponse } from './support/http.js';
import { OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, seed, startProcess, type RunningProcess, type TestConf } from './support/platform.js';

const PASSWORD = 'correct horse battery';
const OTHER_PASSWORD = 'long enough pass';
const MAX_FAILURES = 3;

describe('security: identity and auth hardening', () => {
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let liveUrl: string;
  let admin: BackOfficeSession;
  let adminId: string;
  let seeded: { clientId: string; clientSecret: string };

  /** A user made by the admin through the API; answers its id. */
  const createUser = async (email: string, roles: string[] = []) => {
    const created = await admin.api('POST', '/users', { email, password: OTHER_PASSWORD, roles });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    return created.body.entity.id as string;
  };
  const createRole = async (name: string, permissions: string[]) => {
    const created = await admin.api('POST', '/roles', { name, permissions });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    return created.body.entity.id as string;
  };
  /** POST /be/login as a browser would, from a client address (the platform trusts X-Forwarded-For). */
  const beLogin = async (email: string, password: string, address: string): Promise<JsonResponse> => {
    const { cookie, csrfToken } = await BackOfficeSession.anonymous(app.url);
    return request(`${app.url}/be/login`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': address },
      body: new URLSearchParams({ email, password, _csrf: csrfToken }).toString(),
    });
  };
  const publishLogin = (username: string, password: string, address: string) =>
    request(`${ws.url}/publish/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
      body: JSON.stringify({ username, password }),
    });

  before(async () => {
    conf = await makeConf({
      server: { trustProxy: true, signInThrottle: { maxFailures: MAX_FAILURES, failureWindowSeconds: 3600 } },
      files: { 'publishConf.json': { apiLogin: { maxFailures: MAX_FAILURES, failureWindowSeconds: 3600 } } },
    });
    liveUrl = await writeLiveConf(conf);
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    seeded = await seed(conf, ['publish', 'live']);
    admin = await BackOfficeSession.signIn(app.url, 'admin@example.test', PASSWORD);
    adminId = (await admin.api('GET', '/me')).body.user.id as string;
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
  });

  describe('delegated permissions cannot escalate', () => {
    let roleManagers: string;
    let userManagerId: string;
    let roleManager: BackOfficeSession;
    let userManager: BackOfficeSession;

    before(async () => {
      roleManagers = await createRole('role-managers', ['core.roles.manage']);
      await createRole('user-managers', ['core.users.manage']);
      await createUser('roles@example.test', ['role-managers']);
      userManagerId = await createUser('users@example.test', ['user-managers']);
      roleManager = await BackOfficeSession.signIn(app.url, 'roles@example.test', OTHER_PASSWORD);
      userManager = await BackOfficeSession.signIn(app.url, 'users@example.test', OTHER_PASSWORD);
    });

    it('refuses a role manager giving their own role "*" or a permission they lack, with a 403 JSON error', async () => {
      const star = await roleManager.api('PATCH', `/roles/${roleManagers}`, { permissions: ['*'] });
      expect(star.status).to.equal(403);
      expect(star.body.error).to.include({ code: 'insufficient_rights' });
      expect(star.body.error.message).to.be.a('string').and.not.empty;
      expect((await roleManager.api('PATCH', `/roles/${roleManagers}`, { permissions: ['core.roles.manage', 'core.users.manage'] })).status).to.equal(403);
      expect((await roleManager.api('POST', '/roles', { name: 'sneaky', permissions: ['core.users.manage'] })).status).to.equal(403);
      expect((await roleManager.api('POST', '/roles', { name: 'sneaky-star', permissions: ['*'] })).status).to.equal(403);
      const roles = (await admin.api('GET', '/roles')).body.entities as { name: string; permissions: string[] }[];
      expect(roles.find((role) => role.name === 'role-managers')!.permissions).to.deep.equal(['core.roles.manage']);
      expect(roles.map((role) => role.name)).to.not.include.members(['sneaky', 'sneaky-star']);
    });

    it('refuses a role manager changing or deleting a role with rights they lack, and lets them grant what they hold', async () => {
      const userManagers = ((await admin.api('GET', '/roles')).body.entities as { id: string; name: string }[]).find((role) => role.name === 'user-managers')!;
      expect((await roleManager.api('PATCH', `/roles/${userManagers.id}`, { permissions: [] })).status).to.equal(403);
      expect((await roleManager.api('DELETE', `/roles/${userManagers.id}`)).status).to.equal(403);
      expect((await roleManager.api('POST', '/roles', { name: 'junior-role-managers', permissions: ['core.roles.manage'] })).status).to.equal(201);
    });

    it('refuses a user manager taking the admin role, resetting the admin password or deleting the admin', async () => {
      const selfAdmin = await userManager.api('PATCH', `/users/${userManagerId}`, { roles: ['admin'] });
      expect(selfAdmin.status).to.equal(403);
      expect(selfAdmin.body.error.code).to.equal('insufficient_rights');
      expect((await userManager.api('PATCH', `/users/${userManagerId}`, { roles: ['user-managers', 'role-managers'] })).status).to.equal(403);
      expect((await userManager.api('PATCH', `/users/${adminId}`, { password: 'taken over at last' })).status).to.equal(403);
      expect((await userManager.api('PATCH', `/users/${adminId}`, { name: 'renamed' })).status).to.equal(403);
      expect((await userManager.api('DELETE', `/users/${adminId}`)).status).to.equal(403);
      expect((await userManager.api('POST', '/users', { email: 'puppet@example.test', password: OTHER_PASSWORD, roles: ['admin'] })).status).to.equal(403);
      await BackOfficeSession.signIn(app.url, 'admin@example.test', PASSWORD);
      const me = (await admin.api('GET', '/users')).body.entities.find((user: { id: string }) => user.id === userManagerId);
      expect(me.roles).to.deep.equal(['user-managers']);
    });

    it('lets a user manager manage users whose rights are within theirs', async () => {
      const created = await userManager.api('POST', '/users', { email: 'junior@example.test', password: OTHER_PASSWORD, roles: ['user-managers'] });
      expect(created.status).to.equal(201);
      expect((await userManager.api('PATCH', `/users/${created.body.entity.id}`, { password: 'a brand new one' })).status).to.equal(200);
      expect((await userManager.api('DELETE', `/users/${created.body.entity.id}`)).status).to.equal(200);
    });
  });

  describe('partial updates', () => {
    it('keeps a user’s roles and groups when a PATCH sends only a name or only a password', async () => {
      await createRole('editors', []);
      const group = (await admin.api('POST', '/groups', { name: 'staff' })).body.entity.id as string;
      const created = await admin.api('POST', '/users', { email: 'partial@example.test', password: OTHER_PASSWORD, roles: ['editors'], groups: [group] });
      const id = created.body.entity.id as string;
      const renamed = await admin.api('PATCH', `/users/${id}`, { name: 'Renamed' });
      expect(renamed.status).to.equal(200);
      expect(renamed.body.entity).to.include({ name: 'Renamed' });
      expect(renamed.body.entity.roles).to.deep.equal(['editors']);
      expect(renamed.body.entity.groups).to.deep.equal([group]);
      const repassworded = await admin.api('PATCH', `/users/${id}`, { password: 'another long one' });
      expect(repassworded.body.entity.roles).to.deep.equal(['editors']);
      expect(repassworded.body.entity.groups).to.deep.equal([group]);
      expect(repassworded.body.entity.name).to.equal('Renamed');
    });

    it('keeps a role’s permissions when a PATCH sends only its name', async () => {
      const id = await createRole('reviewers', ['core.groups.manage']);
      const renamed = await admin.api('PATCH', `/roles/${id}`, { name: 'auditors' });
      expect(renamed.status).to.equal(200);
      expect(renamed.body.entity).to.deep.include({ name: 'auditors', permissions: ['core.groups.manage'] });
    });

    it('keeps an application’s scopes, and its tokens, when a PATCH sends only its name', async () => {
      const created = await admin.api('POST', '/applications', { name: 'LMS', scopes: ['publish'] });
      const { id, clientId, clientSecret } = created.body.entity as { id: string; clientId: string; clientSecret: string };
      const auth = await bearerFor(ws.url, clientId, clientSecret);
      const renamed = await admin.api('PATCH', `/applications/${id}`, { name: 'LMS renamed' });
      expect(renamed.status).to.equal(200);
      expect(renamed.body.entity).to.deep.include({ name: 'LMS renamed', scopes: ['publish'] });
      expect((await request(`${ws.url}/publish/videos`, { headers: auth })).status).to.equal(200);
    });
  });

  describe('roles and groups are read by those who manage them', () => {
    it('refuses the role and group lists to a user without a manage permission, and gives them to a user manager', async () => {
      await createRole('nobodies', []);
      await createUser('nobody@example.test', ['nobodies']);
      const nobody = await BackOfficeSession.signIn(app.url, 'nobody@example.test', OTHER_PASSWORD);
      for (const path of ['/roles', '/groups']) {
        const refused = await nobody.api('GET', path);
        expect(refused.status, path).to.equal(403);
        expect(refused.body.error.code, path).to.equal('forbidden');
      }
      const userManager = await BackOfficeSession.signIn(app.url, 'users@example.test', OTHER_PASSWORD);
      expect((await userManager.api('GET', '/roles')).status).to.equal(200);
      expect((await userManager.api('GET', '/groups')).status).to.equal(200);
    });
  });

  describe('a password change ends the other sessions and tokens', () => {
    it('ends the back-office sessions of a user whose password an admin resets', async () => {
      const id = await createUser('reset@example.test', ['user-managers']);
      const session = await BackOfficeSession.signIn(app.url, 'reset@example.test', OTHER_PASSWORD);
      expect((await session.api('GET', '/me')).status).to.equal(200);
      expect((await admin.api('PATCH', `/users/${id}`, { password: 'reset by the admin' })).status).to.equal(200);
      expect((await session.api('GET', '/me')).status).to.equal(401);
      await BackOfficeSession.signIn(app.url, 'reset@example.test', 'reset by the admin');
    });

    it('keeps the session of a user who changes their own password, and ends their other ones', async () => {
      const id = await createUser('self@example.test', ['user-managers']);
      const current = await BackOfficeSession.signIn(app.url, 'self@example.test', OTHER_PASSWORD);
      const other = await BackOfficeSession.signIn(app.url, 'self@example.test', OTHER_PASSWORD);
      expect((await current.api('PATCH', `/users/${id}`, { password: 'my own new one' })).status).to.equal(200);
      expect((await current.api('GET', '/me')).status).to.equal(200);
      expect((await other.api('GET', '/me')).status).to.equal(401);
    });

    it('voids the publish JWTs issued before the password changed', async () => {
      const id = await createUser('jwt@example.test');
      const logged = await publishLogin('jwt@example.test', OTHER_PASSWORD, '10.9.0.1');
      expect(logged.status).to.equal(200);
      const auth = { Authorization: `Bearer ${logged.body.token as string}` };
      expect((await request(`${ws.url}/publish/api/auth/check`, { headers: auth })).status).to.equal(200);
      expect((await admin.api('PATCH', `/users/${id}`, { password: 'changed after login' })).status).to.equal(200);
      expect((await request(`${ws.url}/publish/api/auth/check`, { headers: auth })).status).to.equal(403);
      expect((await request(`${ws.url}/publish/api/folders`, { headers: auth })).status).to.equal(401);
      const again = await publishLogin('jwt@example.test', 'changed after login', '10.9.0.1');
      expect((await request(`${ws.url}/publish/api/auth/check`, { headers: { Authorization: `Bearer ${again.body.token as string}` } })).status).to.equal(200);
    });
  });

  describe('login throttle', () => {
    it('refuses /be/login for an account that failed too often, from any address, with the login page and 429', async () => {
      await createUser('victim-be@example.test');
      for (let i = 0; i < MAX_FAILURES; i++) expect((await beLogin('victim-be@example.test', `wrong ${i}`, `10.1.0.${i + 1}`)).status).to.equal(401);
      const throttled = await beLogin('victim-be@example.test', OTHER_PASSWORD, '10.1.0.99');
      expect(throttled.status).to.equal(429);
      expect(throttled.headers.get('content-type')).to.match(/text\/html/);
      expect(throttled.body).to.contain('Too many failed sign-ins');
      expect(Number(throttled.headers.get('retry-after'))).to.be.within(3500, 3600);
    });

    it('refuses /be/login from an address that failed too often, whatever the account', async () => {
      await createUser('bystander@example.test');
      for (let i = 0; i < MAX_FAILURES; i++) expect((await beLogin(`guess${i}@example.test`, 'wrong', '10.2.0.1')).status).to.equal(401);
      expect((await beLogin('bystander@example.test', OTHER_PASSWORD, '10.2.0.1')).status).to.equal(429);
      expect((await beLogin('bystander@example.test', OTHER_PASSWORD, '10.2.0.2')).status).to.equal(303);
    });

    it('does not reset the address counter when the attacker signs into their own account on the publish login', async () => {
      await createUser('attacker@example.test');
      const address = '10.3.0.1';
      expect((await publishLogin('target1@example.test', 'guess', address)).status).to.equal(400);
      expect((await publishLogin('target2@example.test', 'guess', address)).status).to.equal(400);
      expect((await publishLogin('attacker@example.test', OTHER_PASSWORD, address)).status).to.equal(200);
      expect((await publishLogin('target3@example.test', 'guess', address)).status).to.equal(400);
      const throttled = await publishLogin('attacker@example.test', OTHER_PASSWORD, address);
      expect(throttled.status).to.equal(429);
      expect(throttled.body.error.code).to.equal('too_many_requests');
      expect(Number(throttled.headers.get('retry-after'))).to.be.within(3500, 3600);
    });

    it("counts an account's failures across addresses, and another account's success does not reset them", async () => {
      await createUser('victim-api@example.test');
      await createUser('other@example.test');
      expect((await publishLogin('victim-api@example.test', 'guess 1', '10.4.0.1')).status).to.equal(400);
      expect((await publishLogin('victim-api@example.test', 'guess 2', '10.4.0.2')).status).to.equal(400);
      expect((await publishLogin('other@example.test', OTHER_PASSWORD, '10.4.0.3')).status).to.equal(200);
      expect((await publishLogin('victim-api@example.test', 'guess 3', '10.4.0.3')).status).to.equal(400);
      expect((await publishLogin('victim-api@example.test', OTHER_PASSWORD, '10.4.0.4')).status).to.equal(429);
    });

    it('shares the failures between the processes: publish login failures throttle /be/login', async () => {
      await createUser('shared@example.test');
      for (let i = 0; i < MAX_FAILURES; i++) expect((await publishLogin('shared@example.test', `guess ${i}`, `10.5.0.${i + 1}`)).status).to.equal(400);
      expect((await beLogin('shared@example.test', OTHER_PASSWORD, '10.5.0.99')).status).to.equal(429);
    });
  });

  describe('credentials that are not strings', () => {
    const token = (body: string, headers: Record<string, string> = {}) =>
      request(`${ws.url}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });

    it('answers POST /token with query operators instead of credentials with 400 invalid_request, whether an id matches or not', async () => {
      const matching = await token(`grant_type=client_credentials&client_id[$regex]=^${seeded.clientId.slice(0, 2)}&client_secret[x]=1`);
      const notMatching = await token('grant_type=client_credentials&client_id[$regex]=^zz&client_secret[x]=1');
      for (const answer of [matching, notMatching]) {
        expect(answer.status).to.equal(400);
        expect(answer.body).to.deep.equal({ error: 'invalid_request', error_description: answer.body.error_description });
        expect(answer.body.error_description).to.match(/must be a string/);
      }
    });

    it('answers non-string parameters in JSON and beside Basic credentials with 400 invalid_request', async () => {
      const json = await request(`${ws.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: { $ne: null }, client_secret: { $ne: null } }),
      });
      expect(json.status).to.equal(400);
      expect(json.body.error).to.equal('invalid_request');
      const withBasic = await token('grant_type[$ne]=x', { Authorization: basic(seeded.clientId, seeded.clientSecret) });
      expect(withBasic.status).to.equal(400);
      expect(withBasic.body.error).to.equal('invalid_request');
      const badBasic = await token('grant_type=client_credentials', { Authorization: 'Basic %%%not-base64' });
      expect(badBasic.status).to.be.within(400, 401);
      expect(badBasic.body.error).to.be.oneOf(['invalid_request', 'invalid_client']);
    });
  });

  describe('a gzip body that is not gzip', () => {
    const garbage = { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' };
    const body = Buffer.from('this is not gzip at all');

    it('is a 400 in the back office’s JSON shape, before any authentication', async () => {
      const answer = await request(`${app.url}/be/api/groups`, { method: 'POST', headers: garbage, body });
      expect(answer.status).to.equal(400);
      expect(answer.body.error).to.include({ code: 'bad_request' });
    });

    it('is a 400 invalid_request on POST /token, and a 400 for a signed-in plugin API call of the web service', async () => {
      const answer = await request(`${ws.url}/token`, { method: 'POST', headers: garbage, body });
      expect(answer.status).to.equal(400);
      expect(answer.body.error).to.equal('invalid_request');
      const auth = await bearerFor(ws.url, seeded.clientId, seeded.clientSecret);
      const api = await request(`${ws.url}/publish/api/folder`, { method: 'POST', headers: { ...garbage, ...auth }, body });
      expect(api.status).to.equal(400);
      expect(api.body.error).to.include({ code: 'bad_request', module: 'publish' });
    });

    it('is a 400 in OpenVidu’s shape on the live port, and a 401 without credentials', async () => {
      const headers = { ...garbage, Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) };
      const answer = await request(`${liveUrl}/openvidu/api/sessions`, { method: 'POST', headers, body });
      expect(answer.status).to.equal(400);
      expect(answer.body).to.include({ status: 400, error: 'Bad Request', path: '/openvidu/api/sessions' });
      const anonymous = await request(`${liveUrl}/openvidu/api/sessions`, { method: 'POST', headers: garbage, body });
      expect(anonymous.status).to.equal(401);
    });

    it('still accepts a real gzip body', async () => {
      const headers = { ...garbage, Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) };
      const answer = await request(`${liveUrl}/openvidu/api/sessions`, { method: 'POST', headers, body: gzipSync(JSON.stringify({ customSessionId: 'gzipped' })) });
      expect(answer.status).to.equal(200);
      expect(answer.body.id).to.equal('gzipped');
    });
  });
});
