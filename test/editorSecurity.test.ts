import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { request } from './support/http.js';
import { tempDir } from './support/tempDir.js';
import { runServerJs, startPlatform, type Platform } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { pythonDate, wevClient, wevSimpleClient } from './support/wev.js';

const run = promisify(execFile);

describe('editor: tenants, users and signed requests stay apart', function () {
  this.timeout(60_000);
  let platform: Platform;
  let partner: { clientId: string; clientSecret: string };
  let base: string;
  let simple: ReturnType<typeof wevSimpleClient>;
  let otherSimple: ReturnType<typeof wevSimpleClient>;

  before(async () => {
    platform = await startPlatform({ plugins: ['editor'] });
    partner = JSON.parse((await runServerJs(['--create-application', 'partner', '--scopes', 'editor'], { conf: platform.conf })).stdout);
    const other = JSON.parse((await runServerJs(['--create-application', 'other', '--scopes', 'editor'], { conf: platform.conf })).stdout);
    base = `${platform.ws.url}/editor`;
    simple = wevSimpleClient(base, partner.clientSecret);
    otherSimple = wevSimpleClient(base, other.clientSecret);
  });
  after(async () => {
    await platform?.stop();
  });

  describe('signed requests', () => {
    it('refuses a replayed signed POST with 401 in the WeVideo shape, and does what it asks once', async () => {
      const wev = wevClient(base, partner.clientId, partner.clientSecret);
      const date = pythonDate();
      const body = { email: 'replayed@example.com' };
      const first = await wev('POST', '/api/3/users', { body, date });
      expect(first.status).to.equal(200);
      const replayed = await wev('POST', '/api/3/users', { body, date });
      expect(replayed.status).to.equal(401);
      expect(replayed.body).to.deep.equal({ success: false, message: 'Invalid credentials', error_code: 'unauthorized' });
      const listed = await simple('GET', `/api/3/instances/${first.body.instanceId}/users?pageSize=100`);
      expect(listed.body.data.filter((u: { email: string }) => u.email === 'replayed@example.com')).to.have.length(1);
      expect((await wev('POST', '/api/3/users', { body: { email: 'fresh@example.com' }, date })).status, 'another request signed with the same Date').to.equal(200);
    });
  });

  describe('e-mail addresses across tenants', () => {
    it('answers SSO the same for an address of another tenant as for one that exists nowhere', async () => {
      const theirs = await otherSimple('POST', '/api/3/users', { email: 'theirs@example.com' });
      expect(theirs.status).to.equal(200);
      const elsewhere = await simple('POST', '/api/3/sso/auth', { email: 'theirs@example.com' });
      const nowhere = await simple('POST', '/api/3/sso/auth', { email: 'nobody@example.com' });
      expect(elsewhere.status).to.equal(404);
      expect(elsewhere.body).to.deep.equal(nowhere.body);
      expect(JSON.stringify(elsewhere.body)).not.to.contain(String(theirs.body.userId));
      expect((await simple('POST', '/api/3/sso/auth', { userId: theirs.body.userId })).body.message).to.equal(`User ${theirs.body.userId} not found`);
      expect((await simple('POST', '/api/3/sso/auth', { userId: 987654 })).body.message).to.equal('User 987654 not found');
    });

    it('lets each tenant have a user with the same address, unique within an instance only', async () => {
      await otherSimple('POST', '/api/3/users', { email: 'both@example.com' });
      const mine = await simple('POST', '/api/3/users', { email: 'Both@example.com' });
      expect(mine.status).to.equal(200);
      const duplicate = await simple('POST', '/api/3/users', { email: 'both@example.com' });
      expect(duplicate.status).to.equal(400);
      expect(duplicate.body.message).to.equal('A user already exists with the given e-mail');
      const sso = await simple('POST', '/api/3/sso/auth', { email: 'both@example.com' });
      expect(sso.status).to.equal(200);
      expect(sso.body.userId).to.equal(mine.body.userId);
    });
  });

  describe('users in the browser', () => {
    const users: Record<'alice' | 'bob' | 'carol', { userId: number; session: { Cookie: string } }> = {} as never;
    let bobTimeline: number;
    let bobFile: number;

    const login = async (userId: number) => {
      const { body } = await simple('POST', '/api/3/sso/auth', { userId });
      const login = await request(`${platform.app.url}/editor/api/3/sso/login/${body.loginToken}`);
      return { Cookie: login.headers.get('set-cookie')!.split(';')[0]! };
    };
    const browser = (who: keyof typeof users, urlPath: string, init: RequestInit = {}) =>
      request(`${platform.app.url}${urlPath}`, { ...init, headers: { ...users[who].session, ...(init.headers as Record<string, string>) } });

    before(async () => {
      for (const [name, role] of [['alice', 'user'], ['bob', 'user'], ['carol', 'admin']] as const) {
        const created = await simple('POST', '/api/3/users', { email: `${name}@example.com`, role });
        users[name] = { userId: created.body.userId, session: await login(created.body.userId) };
      }
      bobTimeline = (await simple('POST', '/api/4/timelines', { title: "Bob's video", userId: users.bob.userId, tracks: [] })).body.timelineId;
      const png = path.join(await tempDir('editor-security-'), 'picture.png');
      await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=blue:s=64x48', '-frames:v', '1', png]);
      const image = await readFile(png);
      const { body } = await simple('POST', '/api/4/files/upload', { fileData: [{ size: image.length, title: "Bob's picture" }], userId: users.bob.userId });
      expect((await fetch(body.tickets[0].url, { method: 'PUT', body: new Uint8Array(image) })).status).to.equal(200);
      const ticket = body.tickets[0].id as string;
      bobFile = await waitFor(async () => (await simple('GET', `/api/4/files/status/${ticket}`)).body[ticket]?.fileId as number | undefined, 30_000, 'the upload to be ingested');
    });

    it("keeps a plain user out of another user's timeline: 404 to open or rename it", async () => {
      expect((await browser('alice', `/editor/api/3/editor/${bobTimeline}`)).status).to.equal(404);
      const rename = await browser('alice', `/editor/api/3/editor/${bobTimeline}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Taken over' }) });
      expect(rename.status).to.equal(404);
      expect(rename.body).to.deep.equal({ success: false, message: `Timeline ${bobTimeline} not found`, error_code: 'not_found' });
      expect((await simple('GET', `/api/4/timelines/${bobTimeline}`)).body.title).to.equal("Bob's video");
    });

    it("keeps a plain user out of another user's media: 404 to preview it or open the editor with it", async () => {
      expect((await browser('alice', `/editor/media/${bobFile}/preview`)).status).to.equal(404);
      expect((await browser('alice', `/editor/api/4/editor/withfile/${bobFile}`)).status).to.equal(404);
    });

    it('lets the owner, and a role managing all content (admin), reach them', async () => {
      expect((await browser('bob', `/editor/api/3/editor/${bobTimeline}`)).status).to.equal(200);
      expect((await browser('bob', `/editor/media/${bobFile}/preview`)).status).to.equal(200);
      const renamed = await browser('bob', `/editor/api/3/editor/${bobTimeline}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Renamed by Bob' }) });
      expect(renamed.status).to.equal(200);
      expect((await browser('carol', `/editor/api/3/editor/${bobTimeline}`)).status).to.equal(200);
      expect((await browser('carol', `/editor/media/${bobFile}/preview`)).status).to.equal(200);
    });

    it('follows the role property MANAGE_ALL_CONTENT: 1 for admins by default, and an admin role set to 0 loses it', async () => {
      const roles = (await simple('GET', `/api/4/roles/instance/${(await simple('GET', `/api/3/users/${users.alice.userId}`)).body.instanceId}`)).body.roles as { ID: number; ORIGINALNAME: string; MANAGE_ALL_CONTENT: number }[];
      const admin = roles.find((r) => r.ORIGINALNAME === 'Admin')!;
      expect(admin.MANAGE_ALL_CONTENT).to.equal(1);
      expect(roles.find((r) => r.ORIGINALNAME === 'User')!.MANAGE_ALL_CONTENT).to.equal(0);
      await simple('PUT', `/api/4/roles/${admin.ID}`, { properties: [{ key: 'MANAGE_ALL_CONTENT', value: 0 }] });
      expect((await browser('carol', `/editor/api/3/editor/${bobTimeline}`)).status).to.equal(404);
      await simple('PUT', `/api/4/roles/${admin.ID}`, { properties: [{ key: 'MANAGE_ALL_CONTENT', value: 1 }] });
      expect((await browser('carol', `/editor/api/3/editor/${bobTimeline}`)).status).to.equal(200);
    });
  });
});
