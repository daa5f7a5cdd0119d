import { expect } from 'chai';
import { waitFor } from './support/waitFor.js';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { basic, bearerFor, request } from './support/http.js';
import { runServerJs, seed, startPlatform, type Platform } from './support/platform.js';

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);
const { OpenVeoClient } = require('@openveo/rest-nodejs-client') as {
  OpenVeoClient: new (url: string, id: string, secret: string) => { get(path: string): Promise<any> };
};

describe('web service (node server.js -ws)', function () {
  let platform: Platform;
  let clientId: string;
  let clientSecret: string;

  before(async () => {
    platform = await startPlatform();
    ({ clientId, clientSecret } = await seed(platform.conf, ['publish', 'hello']));
  });
  after(() => platform?.stop());

  const token = (body: unknown, headers: Record<string, string> = {}, contentType = 'application/json') =>
    request(`${platform.ws.url}/token`, {
      method: 'POST',
      headers: { Authorization: basic(clientId, clientSecret), 'Content-Type': contentType, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  describe('POST /token', () => {
    it('issues a Bearer token for client credentials sent as JSON', async () => {
      const { status, body, headers } = await token({ grant_type: 'client_credentials' });
      expect(status).to.equal(200);
      expect(body).to.have.all.keys('access_token', 'token_type', 'expires_in', 'scope');
      expect(body.token_type).to.equal('Bearer');
      expect(body.expires_in).to.equal(3600);
      expect(body.scope.split(' ').sort()).to.deep.equal(['hello', 'publish']);
      expect(headers.get('cache-control')).to.equal('no-store');
    });

    it('accepts a form body and narrows the scope on request', async () => {
      const { status, body } = await token('grant_type=client_credentials&scope=hello', {}, 'application/x-www-form-urlencoded');
      expect(status).to.equal(200);
      expect(body.scope).to.equal('hello');
    });

    it('refuses a wrong secret or an unknown client with 401 invalid_client', async () => {
      for (const authorization of [basic(clientId, 'wrong'), basic('unknown', clientSecret)]) {
        const { status, body, headers } = await token({ grant_type: 'client_credentials' }, { Authorization: authorization });
        expect(status).to.equal(401);
        expect(body.error).to.equal('invalid_client');
        expect(headers.get('www-authenticate')).to.match(/^Basic/);
      }
    });

    it('refuses a request without client credentials', async () => {
      const { status, body } = await request(`${platform.ws.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect([400, 401]).to.include(status);
      expect(['invalid_client', 'invalid_request']).to.include(body.error);
    });

    it('answers the RFC 6749 error for a missing grant, another grant type and a scope the client lacks', async () => {
      const missing = await token({});
      expect(missing.status).to.equal(400);
      expect(missing.body).to.deep.include({ error: 'invalid_request' });
      const password = await token({ grant_type: 'password', username: 'a', password: 'b' });
      expect(password.status).to.equal(400);
      expect(password.body.error).to.equal('unauthorized_client');
      const unknown = await token({ grant_type: 'magic' });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error).to.equal('unsupported_grant_type');
      const scope = await token({ grant_type: 'client_credentials', scope: 'editor' });
      expect(scope.status).to.equal(400);
      expect(scope.body.error).to.equal('invalid_scope');
    });

    it('answers 400, not 500, for a body that is not JSON', async () => {
      const { status } = await token('{"grant_type":');
      expect(status).to.equal(400);
    });

    it('answers 405 with Allow in OAuth\'s error shape to another method, TRACE included (a 501 schemathesis found)', async () => {
      const get = await request(`${platform.ws.url}/token`);
      expect(get.status).to.equal(405);
      expect(get.headers.get('allow')).to.equal('POST');
      expect(get.body).to.deep.equal({ error: 'method_not_allowed', error_description: 'GET is not allowed on /token: use POST' });
      // fetch refuses to send TRACE: curl does.
      for (const path of ['/token', '/revoke']) {
        const { stdout } = await execFileAsync('curl', ['-s', '-X', 'TRACE', '-i', `${platform.ws.url}${path}`]);
        expect(stdout).to.match(/^HTTP\/1\.1 405 /);
        expect(stdout).to.match(/^allow: POST\r?$/im);
        expect(JSON.parse(stdout.slice(stdout.indexOf('\r\n\r\n') + 4))).to.deep.equal({ error: 'method_not_allowed', error_description: `TRACE is not allowed on ${path}: use POST` });
      }
    });

    it('answers a body too large for the server as an OAuth invalid_request', async () => {
      const { status, body } = await token({ grant_type: 'client_credentials', padding: 'x'.repeat(2 * 1024 * 1024) });
      expect(status).to.equal(400);
      expect(body.error).to.equal('invalid_request');
    });

    it('serves /openapi.json without credentials, built from the schemas /token and /revoke validate with', async () => {
      const { status, body } = await request(`${platform.ws.url}/openapi.json`);
      expect(status).to.equal(200);
      expect(body.openapi).to.equal('3.1.0');
      const issue = body.paths['/token'].post;
      expect(issue.requestBody.content).to.have.keys('application/json', 'application/x-www-form-urlencoded');
      expect(issue.requestBody.content['application/json'].schema.properties).to.have.keys('grant_type', 'client_id', 'client_secret', 'scope');
      expect(issue.responses['200'].content['application/json'].schema.required).to.have.members(['access_token', 'token_type', 'expires_in', 'scope']);
      expect(issue.responses).to.include.keys('400', '401', '405');
      expect(body.paths['/revoke'].post.requestBody.content['application/json'].schema.required).to.deep.equal(['token']);
      // A parameter the schema refuses is refused by the route, with the schema's message.
      const refused = await token({ grant_type: 'client_credentials', scope: ['publish'] });
      expect(refused.status).to.equal(400);
      expect(refused.body).to.deep.equal({ error: 'invalid_request', error_description: 'Invalid parameter: scope must be a string' });
    });
  });

  describe('Bearer tokens', () => {
    let accessToken: string;
    before(async () => {
      accessToken = (await token({ grant_type: 'client_credentials' })).body.access_token;
    });

    it('opens the plugin routes to a token with their scope', async () => {
      const { status, body } = await request(`${platform.ws.url}/publish/videos`, { headers: { Authorization: `Bearer ${accessToken}` } });
      expect(status).to.equal(200);
      expect(body).to.deep.equal({ entities: [], pagination: { limit: 10, page: 0, pages: 0, size: 0 } });
    });

    it('answers 401 with the OpenVeo wording for a missing, malformed or unknown token', async () => {
      const missing = await request(`${platform.ws.url}/publish/videos`);
      expect(missing.status).to.equal(401);
      expect(missing.headers.get('www-authenticate')).to.match(/^Bearer/);
      const basicAuth = await request(`${platform.ws.url}/publish/videos`, { headers: { Authorization: basic(clientId, clientSecret) } });
      expect(basicAuth.status).to.equal(401);
      const unknown = await request(`${platform.ws.url}/publish/videos`, { headers: { Authorization: 'Bearer not-a-token' } });
      expect(unknown.status).to.equal(401);
      expect(unknown.body).to.deep.equal({ error: 'invalid_token', error_description: 'Token not found or expired' });
    });

    it('answers 401 for every path of a plugin, so routes cannot be probed without a token', async () => {
      const { status } = await request(`${platform.ws.url}/publish/no-such-route`);
      expect(status).to.equal(401);
    });

    it('answers 403 for a token without the route scope, and for a plugin it has no scope for', async () => {
      const helloOnly = (await token({ grant_type: 'client_credentials', scope: 'hello' })).body.access_token;
      const videos = await request(`${platform.ws.url}/publish/videos`, { headers: { Authorization: `Bearer ${helloOnly}` } });
      expect(videos.status).to.equal(403);
      expect(videos.body.error).to.include({ module: 'publish' });
      const live = await request(`${platform.ws.url}/live/health`, { headers: { Authorization: `Bearer ${accessToken}` } });
      expect(live.status).to.equal(403);
    });

    it('stops accepting the tokens of a deleted application', async () => {
      const created = await runServerJs(['--create-application', 'doomed', '--scopes', 'publish'], { conf: platform.conf });
      const doomed = JSON.parse(created.stdout) as { clientId: string; clientSecret: string };
      const bearer = await bearerFor(platform.ws.url, doomed.clientId, doomed.clientSecret);
      expect((await request(`${platform.ws.url}/publish/videos`, { headers: bearer })).status).to.equal(200);
      const loginAndDelete = await deleteApplicationThroughBackOffice(platform, doomed.clientId);
      expect(loginAndDelete).to.equal(200);
      // Tokens are checked in memory; a deletion reaches every process within a second (docs/tokens.md).
      await waitFor(async () => (await request(`${platform.ws.url}/publish/videos`, { headers: bearer })).status === 401, 1000, 'the token to be refused');
    });

    it('serves publish\'s document at /publish/api/openapi.json without credentials, behind Bearer tokens', async () => {
      const { status, body } = await request(`${platform.ws.url}/publish/api/openapi.json`);
      expect(status).to.equal(200);
      expect(body.security).to.deep.equal([{ bearer: [] }]);
      const list = body.paths['/publish/videos'].get;
      expect(list.parameters.map((p: { name: string }) => p.name)).to.include.members(['page', 'limit', 'query', 'sortBy', 'sortOrder']);
      expect(list.responses['200'].content['application/json'].schema.required).to.have.members(['entities', 'pagination']);
      expect(body.components.schemas.Error.properties.error.required).to.have.members(['code', 'module', 'message']);
      // The rest of the prefix stays closed to a caller without a token.
      expect((await request(`${platform.ws.url}/publish/api/other.json`)).status).to.equal(401);
    });

    it("describes publish's VideoCMS API in the same document: its public routes without credentials, its multipart upload", async () => {
      const { body } = await request(`${platform.ws.url}/publish/api/openapi.json`);
      expect(Object.keys(body.paths)).to.include.members(['/publish/api/folders', '/publish/api/file', '/publish/api/users/{id}', '/publish/api/account/traffic', '/publish/api/stats/storage', '/publish/api/auth/login']);
      expect(body.paths['/publish/api/auth/login'].post.security).to.deep.equal([]);
      expect(body.paths['/publish/api/config'].get.security).to.deep.equal([]);
      expect(Object.keys(body.paths['/publish/api/file/upload'].post.requestBody.content)).to.deep.equal(['multipart/form-data']);
      expect(body.paths['/publish/api/folder'].post.requestBody.content).to.have.keys('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data');
    });

    it("serves the editor's WeVideo document at /editor/api/openapi.json: its signed and simple schemes, WeVideo's error body", async () => {
      const { status, body } = await request(`${platform.ws.url}/editor/api/openapi.json`);
      expect(status).to.equal(200);
      expect(body.components.securitySchemes).to.have.keys('wev', 'wevSimple', 'bearer');
      expect(body.security).to.deep.equal([{ wev: [] }, { wevSimple: [] }, { bearer: [] }]);
      expect(body.components.schemas.Error.required).to.have.members(['success', 'message', 'error_code']);
      expect(Object.keys(body.paths)).to.include.members(['/editor/api/3/me', '/editor/api/3/users/{id}', '/editor/api/4/webhooks', '/editor/api/4/exports/{exportId}', '/editor/api/4/timelines/{id}', '/editor/api/4/files/import']);
    });

    it('refuses a video search holding a NUL with 400, not the 500 schemathesis found', async () => {
      const { status, body } = await request(`${platform.ws.url}/publish/videos?query=a%00b`, { headers: { Authorization: `Bearer ${accessToken}` } });
      expect(status).to.equal(400);
      expect(body.error.message).to.equal('query: query must not contain NUL characters');
    });

    it('exposes no other core endpoint', async () => {
      const { status, body } = await request(`${platform.ws.url}/users`, { headers: { Authorization: `Bearer ${accessToken}` } });
      expect(status).to.equal(404);
      expect(body.error.code).to.equal('not_found');
    });
  });

  it('replays the PHP example of the reference with curl: get a token, then GET /publish/videos', async () => {
    const tokenJson = await execFileAsync('curl', [
      '-sS', '-X', 'POST', `${platform.ws.url}/token`,
      '-H', `Authorization: Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      '-H', 'Content-Type: application/json',
      '--data', JSON.stringify({ grant_type: 'client_credentials' }),
    ]);
    const { access_token } = JSON.parse(tokenJson.stdout) as { access_token: string };
    const videos = await execFileAsync('curl', ['-sS', '-X', 'GET', `${platform.ws.url}/publish/videos`, '-H', `Authorization: Bearer ${access_token}`]);
    expect(JSON.parse(videos.stdout)).to.have.keys('entities', 'pagination');
  });

  it('works with the official OpenVeo client, unchanged', async () => {
    const client = new OpenVeoClient(platform.ws.url, clientId, clientSecret);
    const result = await client.get('publish/videos');
    expect(result.entities).to.deep.equal([]);
    expect(result.pagination.size).to.equal(0);
  });
});

async function deleteApplicationThroughBackOffice(platform: Platform, clientId: string): Promise<number> {
  const { BackOfficeSession } = await import('./support/backOfficeSession.js');
  const session = await BackOfficeSession.signIn(platform.app.url, 'admin@example.test', 'correct horse battery');
  const apps = await session.api('GET', '/applications');
  const app = (apps.body.entities as { id: string; clientId: string }[]).find((a) => a.clientId === clientId)!;
  return (await session.api('DELETE', `/applications/${app.id}`)).status;
}

describe('web service tokens that expire', () => {
  let platform: Platform;
  let credentials: { clientId: string; clientSecret: string };
  before(async () => {
    platform = await startPlatform({ ws: { accessTokenLifetimeSeconds: 1 } });
    credentials = await seed(platform.conf, ['publish']);
  });
  after(() => platform?.stop());

  it('refuses an expired token with the wording that makes the OpenVeo client renew it', async () => {
    const issued = await request(`${platform.ws.url}/token`, {
      method: 'POST',
      headers: { Authorization: basic(credentials.clientId, credentials.clientSecret), 'Content-Type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(issued.body.expires_in).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const expired = await request(`${platform.ws.url}/publish/videos`, { headers: { Authorization: `Bearer ${issued.body.access_token}` } });
    expect(expired.status).to.equal(401);
    expect(expired.body.error_description).to.equal('Token not found or expired');
  });

  it('keeps the OpenVeo client working across an expiry: it renews its token by itself', async () => {
    const client = new OpenVeoClient(platform.ws.url, credentials.clientId, credentials.clientSecret);
    expect((await client.get('publish/videos')).entities).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await client.get('publish/videos')).entities).to.deep.equal([]);
  });
});
