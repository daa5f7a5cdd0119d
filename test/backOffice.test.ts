import { expect } from 'chai';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { bearerFor, request } from './support/http.js';
import { runServerJs, seed, startPlatform, type Platform } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

describe('back office (node server.js)', () => {
  let platform: Platform;
  let admin: BackOfficeSession;
  const password = 'correct horse battery';

  before(async () => {
    platform = await startPlatform({ server: { trustProxy: true } });
    await seed(platform.conf, ['publish']);
    admin = await BackOfficeSession.signIn(platform.app.url, 'admin@example.test', password);
  });
  after(() => platform?.stop());

  describe('sign-in', () => {
    it('sends anonymous visitors of a page to the login page, and anonymous API calls get 401', async () => {
      const page = await request(`${platform.app.url}/be/applications`);
      expect(page.status).to.equal(302);
      expect(page.headers.get('location')).to.equal('/be/login?next=%2Fbe%2Fapplications');
      const api = await request(`${platform.app.url}/be/api/users`);
      expect(api.status).to.equal(401);
      expect(api.body.error.code).to.equal('unauthorized');
    });

    it('sets an HttpOnly, SameSite session cookie holding no session data, and a new one at sign-in', async () => {
      const anonymous = await fetch(`${platform.app.url}/be/login`);
      const before = anonymous.headers.getSetCookie().find((c) => c.startsWith('mediahost.sid='))!;
      expect(before).to.match(/httponly/i).and.to.match(/samesite=lax/i);
      const { cookie, csrfToken } = await BackOfficeSession.anonymous(platform.app.url);
      const response = await fetch(`${platform.app.url}/be/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'admin@example.test', password, _csrf: csrfToken }).toString(),
      });
      expect(response.status).to.equal(303);
      expect(response.headers.get('location')).to.equal('/be');
      const after = BackOfficeSession.cookiesOf(response.headers);
      expect(after.split('; ').find((c) => c.startsWith('mediahost.sid='))).to.not.equal(cookie.split('; ').find((c) => c.startsWith('mediahost.sid=')));
      expect(decodeURIComponent(after)).to.not.contain('admin@example.test');
    });

    it('marks the session cookie Secure when served over HTTPS (through a trusted TLS proxy), never over plain HTTP', async () => {
      const plain = await fetch(`${platform.app.url}/be/login`);
      expect(plain.headers.getSetCookie().find((c) => c.startsWith('mediahost.sid='))).to.not.match(/;\s*secure/i);
      const tls = await fetch(`${platform.app.url}/be/login`, { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(tls.headers.getSetCookie().find((c) => c.startsWith('mediahost.sid='))).to.match(/;\s*secure/i);
    });

    it('refuses a wrong password with 401 and the login page', async () => {
      const { cookie, csrfToken } = await BackOfficeSession.anonymous(platform.app.url);
      const response = await request(`${platform.app.url}/be/login`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'admin@example.test', password: 'wrong password', _csrf: csrfToken }).toString(),
      });
      expect(response.status).to.equal(401);
      expect(response.body).to.contain('Wrong email or password');
    });

    it('refuses a sign-in without its CSRF token', async () => {
      const { cookie } = await BackOfficeSession.anonymous(platform.app.url);
      const response = await request(`${platform.app.url}/be/login`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'admin@example.test', password }).toString(),
      });
      expect(response.status).to.equal(403);
    });

    it('does not redirect outside the back office after sign-in', async () => {
      const { cookie, csrfToken } = await BackOfficeSession.anonymous(platform.app.url);
      const response = await fetch(`${platform.app.url}/be/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'admin@example.test', password, _csrf: csrfToken, next: '//evil.example/be' }).toString(),
      });
      expect(response.headers.get('location')).to.equal('/be');
    });

    it('ends the session at sign-out', async () => {
      const session = await BackOfficeSession.signIn(platform.app.url, 'admin@example.test', password);
      expect((await session.api('GET', '/me')).status).to.equal(200);
      const out = await fetch(`${platform.app.url}/be/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: (session as unknown as { cookie: string }).cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: session.csrfToken }).toString(),
      });
      expect(out.status).to.equal(303);
      expect((await session.api('GET', '/me')).status).to.equal(401);
    });
  });

  describe('JSON API', () => {
    it('refuses a state-changing call without the CSRF token', async () => {
      const response = await admin.api('POST', '/groups', { name: 'no-csrf' }, { csrf: false });
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('invalid_csrf_token');
    });

    it('manages users, roles, groups and applications, with 4xx JSON for bad input', async () => {
      const role = await admin.api('POST', '/roles', { name: 'app-managers', permissions: ['core.applications.manage'] });
      expect(role.status).to.equal(201);
      expect((await admin.api('POST', '/roles', { name: 'app-managers' })).status).to.equal(409);
      expect((await admin.api('POST', '/roles', { name: 'x', permissions: ['nope'] })).status).to.equal(400);

      const user = await admin.api('POST', '/users', { email: 'manager@example.test', password: 'long enough pass', roles: ['app-managers'] });
      expect(user.status).to.equal(201);
      expect(user.body.entity).to.not.have.property('passwordHash');
      expect((await admin.api('POST', '/users', { email: 'not-an-email', password: 'long enough pass' })).status).to.equal(400);
      expect((await admin.api('PATCH', '/users/ffffffffffffffffffffffff', { name: 'x' })).status).to.equal(404);

      const group = await admin.api('POST', '/groups', { name: 'teachers' });
      expect(group.status).to.equal(201);
      expect((await admin.api('DELETE', `/groups/${group.body.entity.id}`)).status).to.equal(200);

      const app = await admin.api('POST', '/applications', { name: 'LMS', scopes: ['publish'] });
      expect(app.status).to.equal(201);
      expect(app.body.entity.clientSecret).to.be.a('string');
      const listed = await admin.api('GET', '/applications');
      expect(JSON.stringify(listed.body)).to.not.contain(app.body.entity.clientSecret);
      expect((await admin.api('POST', '/applications', { name: 'x', scopes: ['nope'] })).status).to.equal(400);
      expect((await admin.api('POST', '/applications', 'not an object')).status).to.equal(400);
    });

    it('answers 403 to a user whose roles lack the permission, and lets them do what they may', async () => {
      await admin.api('POST', '/roles', { name: 'viewers', permissions: [] });
      await admin.api('POST', '/users', { email: 'viewer@example.test', password: 'long enough pass', roles: ['viewers'] });
      await admin.api('POST', '/roles', { name: 'apps-only', permissions: ['core.applications.manage'] });
      await admin.api('POST', '/users', { email: 'apps@example.test', password: 'long enough pass', roles: ['apps-only'] });

      const viewer = await BackOfficeSession.signIn(platform.app.url, 'viewer@example.test', 'long enough pass');
      expect((await viewer.api('GET', '/users')).status).to.equal(403);
      expect((await viewer.api('POST', '/applications', { name: 'x' })).status).to.equal(403);
      expect((await viewer.get('/be/users')).status).to.equal(403);

      const apps = await BackOfficeSession.signIn(platform.app.url, 'apps@example.test', 'long enough pass');
      expect((await apps.api('POST', '/applications', { name: 'allowed', scopes: [] })).status).to.equal(201);
      expect((await apps.api('GET', '/users')).status).to.equal(403);
      expect((await apps.get('/be/applications')).status).to.equal(200);
    });

    it('lets no one delete their own account', async () => {
      const me = await admin.api('GET', '/me');
      const response = await admin.api('DELETE', `/users/${me.body.user.id}`);
      expect(response.status).to.equal(400);
    });
  });

  describe('plugin mounts', () => {
    it('serves plugin public routes without sign-in and plugin back-office routes only to signed-in users', async () => {
      expect((await request(`${platform.app.url}/publish/health`)).body).to.deep.equal({ plugin: 'publish', status: 'ok' });
      expect((await request(`${platform.app.url}/hello/ping`)).body).to.deep.equal({ pong: true });
      expect((await request(`${platform.app.url}/be/hello/greeting`)).status).to.equal(401);
      expect((await admin.get('/be/hello/greeting')).body).to.deep.equal({ greeting: 'Bonjour, admin@example.test' });
      const viewer = await BackOfficeSession.signIn(platform.app.url, 'viewer@example.test', 'long enough pass');
      expect((await viewer.get('/be/hello/greeting')).status).to.equal(403);
    });

    it('lists plugin permissions for roles and plugin scopes for applications', async () => {
      const permissions = (await admin.api('GET', '/permissions')).body.entities.map((p: { id: string }) => p.id);
      expect(permissions).to.include.members(['core.users.manage', 'publish.manage', 'hello.greet']);
      const scopes = (await admin.api('GET', '/scopes')).body.entities.map((s: { id: string }) => s.id);
      expect(scopes).to.have.members(['publish', 'live', 'editor', 'hello']);
    });
  });

  describe('jobs page', () => {
    it('shows an admin the jobs of the plugins with their progress, refuses others, and retries only failed jobs', async () => {
      const created = await admin.api('POST', '/applications', { name: 'counter', scopes: ['hello'] });
      const auth = await bearerFor(platform.ws.url, created.body.entity.clientId, created.body.entity.clientSecret);
      const { jobId } = (await request(`${platform.ws.url}/hello/counts`, { method: 'POST', headers: auth })).body as { jobId: string };
      await waitFor(async () => (await request(`${platform.ws.url}/hello/counts/${jobId}`, { headers: auth })).body.state === 'completed', 30_000, 'the count job');

      const page = await admin.get('/be/jobs');
      expect(page.status).to.equal(200);
      const row = new RegExp(`<tr data-job-id="${jobId}" data-state="completed">\\s*<td>hello.count</td>\\s*<td>completed</td>\\s*<td><progress max="100" value="100">`);
      expect(page.body).to.match(row);
      expect(page.body).to.contain('<a href="/be/jobs">Jobs</a>');

      const retry = (headers: Record<string, string>, form: Record<string, string>) =>
        fetch(`${platform.app.url}/be/jobs/${jobId}/retry`, { method: 'POST', redirect: 'manual', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
      expect((await retry({ Cookie: admin.headers().Cookie! }, {})).status, 'without the CSRF token').to.equal(403);
      expect((await retry({ Cookie: admin.headers().Cookie! }, { _csrf: admin.csrfToken })).status, 'a completed job').to.equal(409);

      const viewer = await BackOfficeSession.signIn(platform.app.url, 'viewer@example.test', 'long enough pass');
      expect((await viewer.get('/be/jobs')).status).to.equal(403);
      expect((await viewer.get('/be')).body).not.to.contain('/be/jobs');
    });
  });

  it('creates users from the command line that can sign in, and refuses a duplicate', async () => {
    const created = await runServerJs(['--create-user', 'cli@example.test', '--password-stdin'], { conf: platform.conf, stdin: 'from the command line\n' });
    expect(created.code).to.equal(0);
    expect(JSON.parse(created.stdout)).to.include({ email: 'cli@example.test' });
    await BackOfficeSession.signIn(platform.app.url, 'cli@example.test', 'from the command line');
    const again = await runServerJs(['--create-user', 'cli@example.test', '--password-stdin'], { conf: platform.conf, stdin: 'whatever it is\n' });
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain('already exists');
  });
});
