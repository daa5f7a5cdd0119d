import { expect } from 'chai';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { basic, request } from './support/http.js';
import { freePort } from './support/ports.js';
import { seed, startPlatform, startProcess, type Platform, type RunningProcess } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

/**
 * Access tokens are checked in memory, so revocation must reach every process by itself: what the back office
 * does to an application, or a /revoke on one web service, holds on the other web service within a second.
 */
describe('token revocation across processes', () => {
  let platform: Platform;
  let secondWs: RunningProcess;
  let admin: BackOfficeSession;
  const REVOCATION_BOUND_MS = 1000;

  before(async () => {
    platform = await startPlatform({ plugins: ['publish'] });
    const { email, password } = await seed(platform.conf, ['publish']);
    // A second web-service process on the same data and database, as behind a load balancer.
    const confDir = `${platform.conf.confDir}-second`;
    await cp(platform.conf.confDir, confDir, { recursive: true });
    const serverConf = JSON.parse(await readFile(path.join(confDir, 'serverConf.json'), 'utf8'));
    serverConf.ws.port = await freePort();
    await writeFile(path.join(confDir, 'serverConf.json'), JSON.stringify(serverConf));
    secondWs = await startProcess({ ...platform.conf, confDir }, 'ws');
    admin = await BackOfficeSession.signIn(platform.app.url, email, password);
  });
  after(async () => {
    await Promise.all([platform?.stop(), secondWs?.stop()]);
  });

  async function newApplication(scopes = ['publish']) {
    const created = await admin.api('POST', '/applications', { name: `app-${Math.random()}`, scopes });
    expect(created.status).to.equal(201);
    return created.body.entity as { id: string; clientId: string; clientSecret: string };
  }
  async function tokenOf(app: { clientId: string; clientSecret: string }, ws = platform.ws) {
    const { status, body } = await request(`${ws.url}/token`, {
      method: 'POST',
      headers: { Authorization: basic(app.clientId, app.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(status).to.equal(200);
    return body.access_token as string;
  }
  const videos = (ws: RunningProcess, token: string) => request(`${ws.url}/publish/videos`, { headers: { Authorization: `Bearer ${token}` } });

  /** Both web services refuse the token as OpenVeo's client expects, within the bound after `since`. */
  async function refusedEverywhere(token: string, since: number, status = 401) {
    await waitFor(async () => {
      const answers = await Promise.all([platform.ws, secondWs].map((ws) => videos(ws, token)));
      return answers.every((answer) => answer.status === status) ? answers : undefined;
    }, REVOCATION_BOUND_MS * 2, 'both web services to refuse the token');
    expect(Date.now() - since).to.be.below(REVOCATION_BOUND_MS);
    if (status === 401) expect(JSON.stringify((await videos(secondWs, token)).body)).to.contain('Token not found or expired');
  }

  it('serves a token issued by one web service on the other at once, even for a new application', async () => {
    const app = await newApplication();
    const token = await tokenOf(app, secondWs);
    expect((await videos(platform.ws, token)).status).to.equal(200);
    expect((await videos(secondWs, token)).status).to.equal(200);
  });

  it('refuses, in every web service within a second, the tokens of an application the back office deletes', async () => {
    const app = await newApplication();
    const token = await tokenOf(app);
    expect((await videos(secondWs, token)).status).to.equal(200);
    const since = Date.now();
    expect((await admin.api('DELETE', `/applications/${app.id}`)).status).to.equal(200);
    await refusedEverywhere(token, since);
  });

  it('refuses the tokens obtained with a secret the back office renewed, and takes the new secret', async () => {
    const app = await newApplication();
    const token = await tokenOf(app);
    expect((await videos(secondWs, token)).status).to.equal(200);
    const since = Date.now();
    const renewed = await admin.api('POST', `/applications/${app.id}/secret`);
    expect(renewed.status).to.equal(200);
    await refusedEverywhere(token, since);
    expect((await videos(secondWs, await tokenOf({ clientId: app.clientId, clientSecret: renewed.body.entity.clientSecret }))).status).to.equal(200);
  });

  it('takes away a scope the back office removes from the tokens already issued', async () => {
    const app = await newApplication(['publish']);
    const token = await tokenOf(app);
    expect((await videos(secondWs, token)).status).to.equal(200);
    const since = Date.now();
    expect((await admin.api('PATCH', `/applications/${app.id}`, { scopes: [] })).status).to.equal(200);
    await refusedEverywhere(token, since, 403);
  });

  it('revokes one token through POST /revoke on one web service, in the other too, and leaves the others', async () => {
    const app = await newApplication();
    const [revoked, kept] = [await tokenOf(app), await tokenOf(app)];
    expect((await videos(secondWs, revoked)).status).to.equal(200);
    const foreign = await newApplication();
    const notTheirs = await request(`${platform.ws.url}/revoke`, {
      method: 'POST',
      headers: { Authorization: basic(foreign.clientId, foreign.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${revoked}`,
    });
    expect(notTheirs.status).to.equal(200);
    expect((await videos(secondWs, revoked)).status, 'another application cannot revoke it').to.equal(200);
    const badClient = await request(`${platform.ws.url}/revoke`, { method: 'POST', headers: { Authorization: basic(app.clientId, 'wrong') }, body: new URLSearchParams({ token: revoked }) });
    expect(badClient.status).to.equal(401);
    const malformed = await request(`${platform.ws.url}/revoke`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('a%:b%').toString('base64')}` }, body: new URLSearchParams({ token: revoked }) });
    expect(malformed.status, 'malformed percent-encoding in Basic credentials').to.equal(401);
    const since = Date.now();
    const answer = await request(`${platform.ws.url}/revoke`, {
      method: 'POST',
      headers: { Authorization: basic(app.clientId, app.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${revoked}`,
    });
    expect(answer.status).to.equal(200);
    await refusedEverywhere(revoked, since);
    expect((await videos(secondWs, kept)).status).to.equal(200);
  });
});
