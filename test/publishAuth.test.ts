import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { bearerFor, request } from './support/http.js';
import { makeSample } from './support/media.js';
import { tusUpload } from './support/tusUpload.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';

const PASSWORD = 'correct horse battery';

async function createUser(conf: TestConf, email: string, role?: string): Promise<void> {
  const created = await runServerJs(['--create-user', email, '--password-stdin', ...(role ? ['--role', role] : [])], { conf, stdin: `${PASSWORD}\n` });
  if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('publish: VideoCMS user auth (login JWT and ak_ API keys)', () => {
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let annToken: string;
  let bobToken: string;
  let appAuth: Record<string, string>;

  const call = (method: string, apiPath: string, headers: Record<string, string> = {}, body?: unknown) =>
    request(`${ws.url}/publish/api${apiPath}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const login = (username: string, password: string) => call('POST', '/auth/login', {}, { username, password });
  /** A token signed with the platform's own JWT secret, to make one with any expiry. */
  const signed = async (claims: Record<string, unknown>, exp: number) => {
    const secret = await readFile(path.join(conf.dataDir, 'secrets', 'publish.jwt'), 'utf8');
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime(exp).sign(new TextEncoder().encode(secret.trim()));
  };
  const folderNames = async (headers: Record<string, string>) => {
    const listed = await call('GET', '/folders', headers);
    expect(listed.status).to.equal(200);
    return (listed.body as { Name: string }[]).map((f) => f.Name);
  };

  before(async () => {
    conf = await makeConf({ files: { 'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast' } } });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    await createUser(conf, 'ann@example.test');
    await createUser(conf, 'bob@example.test');
    await createUser(conf, 'admin@example.test', 'admin');
    await createUser(conf, 'erin@example.test');
    const application = JSON.parse((await runServerJs(['--create-application', 'cms', '--scopes', 'publish'], { conf })).stdout);
    appAuth = await bearerFor(ws.url, application.clientId, application.clientSecret);
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
  });

  describe('POST /publish/api/auth/login', () => {
    it('answers a back-office user with a 7-day HS256 JWT carrying the VideoCMS claims, without any other credential', async () => {
      const before = Math.floor(Date.now() / 1000);
      const logged = await login('ann@example.test', PASSWORD);
      expect(logged.status).to.equal(200);
      expect(logged.body).to.have.all.keys('exp', 'token');
      expect(logged.body.exp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const claims = decodeJwt(logged.body.token);
      expect(claims).to.have.all.keys('userid', 'username', 'admin', 'stamp', 'exp');
      expect(claims).to.include({ username: 'ann@example.test', admin: false });
      expect(claims.userid).to.match(/^[0-9a-f]{24}$/);
      expect(Date.parse(logged.body.exp) / 1000).to.equal(claims.exp);
      expect(claims.exp! - before).to.be.within(7 * 24 * 3600 - 5, 7 * 24 * 3600 + 5);
      annToken = logged.body.token;
      bobToken = (await login('bob@example.test', PASSWORD)).body.token;
    });

    it('accepts a form body, as the VideoCMS frontend sends it', async () => {
      const logged = await request(`${ws.url}/publish/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'bob@example.test', password: PASSWORD }).toString(),
      });
      expect(logged.status).to.equal(200);
      expect(decodeJwt(logged.body.token)).to.include({ username: 'bob@example.test' });
    });

    it('marks a user whose roles grant every permission as admin, as VideoCMS does its admins', async () => {
      const logged = await login('admin@example.test', PASSWORD);
      expect(decodeJwt(logged.body.token)).to.include({ username: 'admin@example.test', admin: true });
    });

    it('refuses a wrong password and an unknown user with the same 400 JSON error', async () => {
      const wrongPassword = await login('ann@example.test', 'not the password');
      const unknownUser = await login('nobody@example.test', PASSWORD);
      for (const refused of [wrongPassword, unknownUser]) {
        expect(refused.status).to.equal(400);
        expect(refused.body).to.deep.equal({ error: { code: 'bad_request', module: 'publish', message: 'Wrong username or password' } });
      }
    });

    it('answers missing fields with a 400, not a 500', async () => {
      const missing = await call('POST', '/auth/login', {}, { username: 'ann@example.test' });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.code).to.equal('bad_request');
    });

    it('leaves every other /publish route closed without a credential', async () => {
      for (const [method, apiPath] of [['GET', '/folders'], ['GET', '/auth/login'], ['GET', '/apikeys']] as const) {
        expect((await call(method, apiPath)).status, `${method} ${apiPath}`).to.equal(401);
      }
    });
  });

  describe('a JWT on the existing media API', () => {
    it("creates and lists only its user's folders, apart from other users and applications", async () => {
      expect((await call('POST', '/folder', bearer(annToken), { Name: 'Ann holidays' })).status).to.equal(200);
      expect((await call('POST', '/folder', bearer(bobToken), { Name: 'Bob lectures' })).status).to.equal(200);
      expect((await call('POST', '/folder', appAuth, { Name: 'App imports' })).status).to.equal(200);
      expect(await folderNames(bearer(annToken))).to.deep.equal(['Ann holidays']);
      expect(await folderNames(bearer(bobToken))).to.deep.equal(['Bob lectures']);
      expect(await folderNames(appAuth)).to.deep.equal(['App imports']);
    });

    it('refuses an expired token, a tampered one and one signed with another secret with 401', async () => {
      const { userid } = decodeJwt(annToken);
      const expired = await signed({ userid, username: 'ann@example.test', admin: false }, Math.floor(Date.now() / 1000) - 60);
      const [header, payload, signature] = annToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, userid: decodeJwt(bobToken).userid })).toString('base64url')}.${signature}`;
      const foreign = await new SignJWT({ userid, username: 'ann@example.test', admin: false })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-platform-secret-but-long-enough-0123456789'));
      for (const [token, message] of [[expired, 'Expired JWT Token'], [tampered, 'Invalid JWT Token'], [foreign, 'Invalid JWT Token']] as const) {
        const refused = await call('GET', '/folders', bearer(token));
        expect(refused.status).to.equal(401);
        expect(refused.body).to.deep.equal({ error: 'invalid_token', error_description: message });
        expect(refused.headers.get('www-authenticate')).to.match(/^Bearer realm="mediahost", error="invalid_token"/);
      }
    });

    it('leaves an opaque Bearer token that is no JWT to the OAuth check', async () => {
      const refused = await call('GET', '/folders', bearer('not-a-jwt-and-not-an-oauth-token'));
      expect(refused.status).to.equal(401);
      expect(refused.body).to.deep.equal({ error: 'invalid_token', error_description: 'Token not found or expired' });
    });
  });

  describe('GET /publish/api/auth/check and /refresh', () => {
    it('checks a JWT: its username and expiry', async () => {
      const checked = await call('GET', '/auth/check', bearer(annToken));
      expect(checked.status).to.equal(200);
      expect(checked.body).to.deep.equal({ username: 'ann@example.test', exp: new Date(decodeJwt(annToken).exp! * 1000).toISOString().replace('.000Z', 'Z') });
    });

    it('answers 403 without a token, with a bad one or with an application token', async () => {
      for (const headers of [{}, bearer('a.b.c'), bearer(`ak_${'0'.repeat(64)}`), appAuth]) {
        expect((await call('GET', '/auth/check', headers)).status).to.equal(403);
      }
    });

    it('refuses to refresh a token far from its expiry, and refreshes one in its last 5 minutes for a new 7-day token', async () => {
      const early = await call('GET', '/auth/refresh', bearer(annToken));
      expect(early.status).to.equal(403);
      expect(early.body.error.message).to.match(/^Wait until time to expire: /);

      const claims = decodeJwt(annToken);
      const ending = await signed({ userid: claims.userid, username: claims.username, admin: false, stamp: claims.stamp }, Math.floor(Date.now() / 1000) + 120);
      const refreshed = await call('GET', '/auth/refresh', bearer(ending));
      expect(refreshed.status).to.equal(200);
      expect(refreshed.body).to.have.all.keys('exp', 'token');
      const renewed = decodeJwt(refreshed.body.token);
      expect(renewed).to.include({ userid: claims.userid, username: 'ann@example.test', admin: false });
      expect(renewed.exp! - Math.floor(Date.now() / 1000)).to.be.greaterThan(7 * 24 * 3600 - 60);
      expect(await folderNames(bearer(refreshed.body.token))).to.deep.equal(['Ann holidays']);
    });

    it('refuses to refresh an expired token, an API key or nothing', async () => {
      const claims = decodeJwt(annToken);
      const expired = await signed({ userid: claims.userid, username: claims.username, admin: false }, Math.floor(Date.now() / 1000) - 1);
      expect((await call('GET', '/auth/refresh', bearer(expired))).body.error.message).to.equal('Malformated jwt key');
      const key = await call('GET', '/auth/refresh', bearer(`ak_${'1'.repeat(64)}`));
      expect(key.status).to.equal(403);
      expect(key.body.error.message).to.equal('API Keys cannot be refreshed');
      expect((await call('GET', '/auth/refresh')).status).to.equal(403);
    });
  });

  describe('API keys', () => {
    let key: string;
    let keyId: number;

    it('makes a key with a JWT: 201, shown once, listed by prefix only', async () => {
      const created = await call('POST', '/apikey', bearer(annToken), { name: 'ci pipeline' });
      expect(created.status).to.equal(201);
      expect(created.body).to.have.all.keys('id', 'name', 'key');
      expect(created.body.name).to.equal('ci pipeline');
      expect(created.body.key).to.match(/^ak_[0-9a-f]{64}$/);
      ({ key, id: keyId } = created.body);

      const listed = await call('GET', '/apikeys', bearer(annToken));
      expect(listed.status).to.equal(200);
      expect(listed.body).to.have.length(1);
      expect(listed.body[0]).to.have.all.keys('ID', 'CreatedAt', 'UpdatedAt', 'DeletedAt', 'UserID', 'name', 'prefix');
      expect(listed.body[0]).to.include({ ID: keyId, name: 'ci pipeline', prefix: `${key.slice(0, 8)}...`, UserID: decodeJwt(annToken).userid });
      expect(JSON.stringify(listed.body)).not.to.include(key.slice(8));
      expect((await call('GET', '/apikeys', bearer(bobToken))).body).to.deep.equal([]);
    });

    it("uses the key on the existing media API as its user, and stamps last_used_at", async () => {
      expect(await folderNames(bearer(key))).to.deep.equal(['Ann holidays']);
      const created = await call('POST', '/folder', bearer(key), { Name: 'Ann by key' });
      expect(created.status).to.equal(200);
      expect(await folderNames(bearer(annToken))).to.deep.equal(['Ann by key', 'Ann holidays']);
      expect(await folderNames(bearer(bobToken))).to.deep.equal(['Bob lectures']);

      const [listed] = (await call('GET', '/apikeys', bearer(annToken))).body;
      expect(Date.parse(listed.last_used_at)).to.be.within(Date.now() - 60_000, Date.now() + 1000);
      const checked = await call('GET', '/auth/check', bearer(key));
      expect(checked.body).to.deep.equal({ username: 'ann@example.test', is_api_key: true, exp: null });
    });

    it('audits the requests made with the key, newest first', async () => {
      const audit = await call('GET', `/apikey/${keyId}/audit`, bearer(annToken));
      expect(audit.status).to.equal(200);
      expect(audit.body.map((row: { Method: string; Path: string }) => `${row.Method} ${row.Path}`)).to.deep.equal([
        'POST /publish/api/folder',
        'GET /publish/api/folders',
      ]);
      expect(audit.body[0]).to.include({ ApiKeyID: keyId, UserID: decodeJwt(annToken).userid, DeletedAt: null });
      expect(audit.body[0].IP).to.match(/127\.0\.0\.1|::1/);
      expect(audit.body[0].ID).to.be.greaterThan(audit.body[1].ID);
      expect((await call('GET', `/apikey/${keyId}/audit`, bearer(bobToken))).status).to.equal(404);
    });

    it('refuses key management with an API key or an application token', async () => {
      for (const [method, apiPath] of [['GET', '/apikeys'], ['POST', '/apikey'], ['DELETE', `/apikey/${keyId}`], ['GET', `/apikey/${keyId}/audit`]] as const) {
        const withKey = await call(method, apiPath, bearer(key), method === 'POST' ? { name: 'sneaky' } : undefined);
        expect(withKey.status, `${method} ${apiPath}`).to.equal(403);
        expect(withKey.body.error.message).to.equal('API Key Not Permitted to Manage API Keys');
        expect((await call(method, apiPath, appAuth, method === 'POST' ? { name: 'sneaky' } : undefined)).status).to.equal(403);
      }
      expect((await call('GET', '/apikeys', bearer(annToken))).body).to.have.length(1);
    });

    it('validates a new key: name 3..32, expires_at an RFC 3339 time', async () => {
      for (const body of [{}, { name: 'ab' }, { name: 'x'.repeat(33) }, { name: 'dated', expires_at: 'tomorrow' }]) {
        const refused = await call('POST', '/apikey', bearer(annToken), body);
        expect(refused.status, JSON.stringify(body)).to.equal(400);
      }
    });

    it('refuses an expired key and an unknown key with 401', async () => {
      const expired = await call('POST', '/apikey', bearer(annToken), { name: 'old', expires_at: '2020-01-01T00:00:00Z' });
      expect(expired.status).to.equal(201);
      expect(expired.body.expires_at).to.equal('2020-01-01T00:00:00.000Z');
      for (const credential of [expired.body.key, `ak_${'a'.repeat(64)}`]) {
        const refused = await call('GET', '/folders', bearer(credential));
        expect(refused.status).to.equal(401);
        expect(refused.body).to.deep.equal({ error: 'invalid_token', error_description: 'Invalid or Expired API Key' });
      }
      // Not the key format: possibly an OAuth token that happens to start with ak_, so the OAuth check answers.
      const malformed = await call('GET', '/folders', bearer('ak_short'));
      expect(malformed.status).to.equal(401);
      expect(malformed.body).to.deep.equal({ error: 'invalid_token', error_description: 'Token not found or expired' });
      expect((await call('DELETE', `/apikey/${expired.body.id}`, bearer(annToken))).status).to.equal(204);
    });

    it("revokes only the caller's own key, and the revoked key stops working at once", async () => {
      expect((await call('DELETE', '/apikey/not-a-number', bearer(annToken))).status).to.equal(400);
      const notTheirs = await call('DELETE', `/apikey/${keyId}`, bearer(bobToken));
      expect(notTheirs.status).to.equal(404);
      expect(await folderNames(bearer(key))).to.include('Ann holidays');

      const revoked = await call('DELETE', `/apikey/${keyId}`, bearer(annToken));
      expect(revoked.status).to.equal(204);
      expect(revoked.body).to.equal(undefined);
      expect((await call('GET', '/folders', bearer(key))).status).to.equal(401);
      expect((await call('GET', `/apikey/${keyId}/audit`, bearer(annToken))).status).to.equal(404);
      expect((await call('GET', '/apikeys', bearer(annToken))).body).to.deep.equal([]);
    });
  });

  describe('uploads and deleted users', () => {
    it("uploads with tus and finalizes with an API key into its user's files, which a JWT of that user lists and others do not", async () => {
      const sample = await readFile(await makeSample({ seconds: 1, width: 320, height: 240 }));
      const created = await call('POST', '/apikey', bearer(annToken), { name: 'uploader' });
      const uploadKey = bearer(created.body.key);
      const url = await tusUpload(sample, { endpoint: `${ws.url}/publish/api/uploads`, headers: uploadKey, metadata: { filename: 'by-key.mp4' } }).done;
      const finalized = await call('POST', `/uploads/${url.split('/').pop()}/finalize`, uploadKey);
      expect(finalized.status).to.equal(200);
      expect(finalized.body).to.include({ Name: 'by-key.mp4', ParentFolderID: 0 });
      const names = async (headers: Record<string, string>) => ((await call('GET', '/files', headers)).body as { Name: string }[]).map((f) => f.Name);
      expect(await names(bearer(annToken))).to.deep.equal(['by-key.mp4']);
      expect(await names(bearer(bobToken))).to.deep.equal([]);
      expect(await names(appAuth)).to.deep.equal([]);
      const audit = await call('GET', `/apikey/${created.body.id}/audit`, bearer(annToken));
      const methods = new Set((audit.body as { Method: string; Path: string }[]).map((row) => `${row.Method} ${row.Path.replace(/uploads\/[^/]+/, 'uploads/:id')}`));
      expect([...methods]).to.include.members(['POST /publish/api/uploads', 'PATCH /publish/api/uploads/:id', 'POST /publish/api/uploads/:id/finalize']);
    });

    it('keeps only the last 100 requests of a key in its audit', async () => {
      const created = await call('POST', '/apikey', bearer(annToken), { name: 'busy' });
      for (let i = 1; i <= 103; i++) expect((await call('GET', `/folders?n=${i}`, bearer(created.body.key))).status).to.equal(200);
      const audit = (await call('GET', `/apikey/${created.body.id}/audit`, bearer(annToken))).body as { ID: number; Path: string }[];
      expect(audit).to.have.length(100);
      expect(audit[0]!.ID).to.equal(103);
      expect(audit[99]!.ID).to.equal(4);
      expect(audit.map((row) => row.ID)).to.deep.equal(Array.from({ length: 100 }, (_, i) => 103 - i));
    });

    it("stops a deleted user's JWT and API keys at once", async () => {
      const erinToken = (await login('erin@example.test', PASSWORD)).body.token as string;
      const erinKey = (await call('POST', '/apikey', bearer(erinToken), { name: 'erin ci' })).body.key as string;
      expect((await call('GET', '/folders', bearer(erinToken))).status).to.equal(200);
      expect((await call('GET', '/folders', bearer(erinKey))).status).to.equal(200);

      const admin = await BackOfficeSession.signIn(app.url, 'admin@example.test', PASSWORD);
      expect((await admin.api('DELETE', `/users/${decodeJwt(erinToken).userid as string}`)).status).to.equal(200);
      expect((await call('GET', '/folders', bearer(erinToken))).status).to.equal(401);
      expect((await call('GET', '/folders', bearer(erinKey))).status).to.equal(401);
      expect((await call('GET', '/auth/check', bearer(erinToken))).status).to.equal(403);
    });
  });
});

describe('publish: VideoCMS login throttle', () => {
  let ws: RunningProcess;

  before(async () => {
    const conf = await makeConf({ files: { 'publishConf.json': { apiLogin: { maxFailures: 3, failureWindowSeconds: 3600 } } } });
    ws = await startProcess(conf, 'ws');
    await createUser(conf, 'carol@example.test');
  });
  after(() => ws?.stop());

  it('answers 429 with Retry-After once an address has failed too often, even with the right password', async () => {
    const attempt = (password: string) =>
      request(`${ws.url}/publish/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'carol@example.test', password }) });
    expect((await attempt(PASSWORD)).status).to.equal(200);
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong ${i}`)).status).to.equal(400);
    const throttled = await attempt(PASSWORD);
    expect(throttled.status).to.equal(429);
    expect(throttled.body.error.code).to.equal('too_many_requests');
    expect(Number(throttled.headers.get('retry-after'))).to.be.within(3500, 3600);
  });
});
