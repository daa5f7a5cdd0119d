import { expect } from 'chai';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { bearerFor, request } from './support/http.js';
import { runServerJs, seed, startPlatform, type Platform } from './support/platform.js';
import { tusUpload } from './support/tusUpload.js';

const MiB = 1024 * 1024;
const TUS = { 'Tus-Resumable': '1.0.0' };
const metadata = (filename: string) => `filename ${Buffer.from(filename).toString('base64')}`;

/** The raw tus requests a hostile client sends, against one endpoint and one set of credentials. */
function tusClient(endpoint: string, headers: Record<string, string>) {
  const send = (method: string, url: string, extra: Record<string, string> = {}, body?: Buffer) => request(url, { method, headers: { ...headers, ...TUS, ...extra }, body: body && new Uint8Array(body) });
  return {
    create: async (length: number, filename = 'clip.mp4') => {
      const created = await send('POST', endpoint, { 'Upload-Length': String(length), 'Upload-Metadata': metadata(filename) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.headers.get('location')!.split('/').pop()!;
    },
    post: (length: number) => send('POST', endpoint, { 'Upload-Length': String(length), 'Upload-Metadata': metadata('clip.mp4') }),
    head: (path: string) => send('HEAD', `${endpoint}${path}`),
    patch: (path: string, bytes: Buffer) => send('PATCH', `${endpoint}${path}`, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, bytes),
    remove: (path: string) => send('DELETE', `${endpoint}${path}`),
  };
}

describe('publish: tus uploads are reached by their owner only, and within quotas', () => {
  let platform: Platform;
  let mine: ReturnType<typeof tusClient>;
  let theirs: ReturnType<typeof tusClient>;
  let myAuth: { Authorization: string };

  before(async () => {
    platform = await startPlatform({
      plugins: ['publish'],
      files: { 'publishConf.json': { maxUploadBytes: 4 * MiB, quota: { maxPendingUploadBytes: 5 * MiB, maxStoredBytes: 7 * MiB } } },
    });
    const apps = [];
    for (const name of ['mine', 'theirs']) apps.push(JSON.parse((await runServerJs(['--create-application', name, '--scopes', 'publish'], { conf: platform.conf })).stdout));
    myAuth = await bearerFor(platform.ws.url, apps[0].clientId, apps[0].clientSecret);
    const theirAuth = await bearerFor(platform.ws.url, apps[1].clientId, apps[1].clientSecret);
    mine = tusClient(`${platform.ws.url}/publish/api/uploads`, myAuth);
    theirs = tusClient(`${platform.ws.url}/publish/api/uploads`, theirAuth);
  });
  after(async () => {
    await platform?.stop();
  });

  /** Another owner's upload stays out of reach whatever the URL, query string included. */
  async function provesOwnership(victim: ReturnType<typeof tusClient>, attacker: ReturnType<typeof tusClient>): Promise<void> {
    const victimId = await victim.create(10, 'victim.mp4');
    const attackerId = await attacker.create(20, 'attacker.mp4');

    expect((await attacker.head(`?/${victimId}`)).status).to.equal(404);
    expect((await attacker.head(`/?/${victimId}`)).status).to.equal(404);
    const throughOwn = await attacker.head(`/${attackerId}?/${victimId}`);
    expect(throughOwn.status).to.equal(200);
    expect(throughOwn.headers.get('upload-length'), 'HEAD answers about the checked upload').to.equal('20');

    expect((await attacker.patch(`?/${victimId}`, Buffer.from('0123456789'))).status).to.equal(404);
    const patchedOwn = await attacker.patch(`/${attackerId}?/${victimId}`, Buffer.from('0123456789'));
    expect(patchedOwn.status).to.equal(204);
    expect((await attacker.head(`/${attackerId}`)).headers.get('upload-offset'), 'the bytes went to the checked upload').to.equal('10');

    expect((await attacker.remove(`?/${victimId}`)).status).to.equal(404);
    expect((await attacker.remove(`/${attackerId}?/${victimId}`)).status).to.equal(204);

    const untouched = await victim.head(`/${victimId}`);
    expect(untouched.status).to.equal(200);
    expect(untouched.headers.get('upload-offset')).to.equal('0');
    expect((await attacker.head(`/${attackerId}`)).status).to.equal(404);
    expect((await victim.remove(`/${victimId}`)).status).to.equal(204);
  }

  it('web service: no HEAD, PATCH or DELETE reaches another owner\'s upload through the query string', async () => {
    await provesOwnership(mine, theirs);
  });

  it('back office: no HEAD, PATCH or DELETE reaches another user\'s upload through the query string', async () => {
    const admin = await seed(platform.conf, []);
    const adminSession = await BackOfficeSession.signIn(platform.app.url, admin.email, admin.password);
    expect((await adminSession.api('POST', '/roles', { name: 'uploader', permissions: ['publish.manage'] })).status).to.be.oneOf([200, 201]);
    expect((await adminSession.api('POST', '/users', { email: 'other@example.test', password: 'long enough pass', roles: ['uploader'] })).status).to.be.oneOf([200, 201]);
    const otherSession = await BackOfficeSession.signIn(platform.app.url, 'other@example.test', 'long enough pass');
    const endpoint = `${platform.app.url}/be/publish/uploads`;
    await provesOwnership(tusClient(endpoint, adminSession.headers()), tusClient(endpoint, otherSession.headers()));
  });

  it("answers tus's own refusals in the API's JSON error shape, status and headers kept", async () => {
    const endpoint = `${platform.ws.url}/publish/api/uploads`;
    const bare = await request(endpoint, { method: 'POST', headers: { ...myAuth, 'Upload-Length': '10', 'Upload-Metadata': metadata('clip.mp4') } });
    expect(bare.status).to.equal(412);
    expect(bare.headers.get('content-type')).to.match(/^application\/json/);
    expect(bare.body).to.deep.equal({ error: { code: 'precondition_failed', module: 'publish', message: 'Tus-Resumable Required' } });
    const id = await mine.create(10);
    const conflict = await request(`${endpoint}/${id}`, { method: 'PATCH', headers: { ...myAuth, ...TUS, 'Upload-Offset': '5', 'Content-Type': 'application/offset+octet-stream' }, body: new Uint8Array(5) });
    expect(conflict.status).to.equal(409);
    expect(conflict.headers.get('tus-resumable'), 'still a tus answer').to.equal('1.0.0');
    expect(conflict.body.error.code).to.equal('conflict');
    expect(conflict.body.error.message).to.be.a('string').and.not.empty;
    // And the official client still uploads through it.
    const uploaded = await tusUpload(Buffer.alloc(1000), { endpoint, headers: myAuth, metadata: { filename: 'clip.mp4' } }).done;
    expect(uploaded).to.match(/\/publish\/api\/uploads\/[0-9a-f]{32}$/);
    // Their bytes are pending: freed for the quota tests below.
    for (const path of [`/${id}`, `/${uploaded.split('/').pop()!}`]) expect((await mine.remove(path)).status).to.equal(204);
  });

  it('answers HEAD with the client\'s metadata only, never the owner mark', async () => {
    const id = await mine.create(10, 'lecture.mp4');
    const head = await mine.head(`/${id}`);
    const sent = Object.fromEntries(head.headers.get('upload-metadata')!.split(',').map((pair) => pair.trim().split(' ')));
    expect(Object.keys(sent)).to.deep.equal(['filename']);
    expect(Buffer.from(sent.filename, 'base64').toString()).to.equal('lecture.mp4');
    expect((await mine.remove(`/${id}`)).status).to.equal(204);
  });

  it('refuses with 413 and a JSON reason the creations beyond the owner\'s pending quota, even all at once, and frees it on delete', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => theirs.post(2 * MiB)));
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted).to.have.length(2);
    const refused = answers.filter((a) => a.status !== 201);
    for (const answer of refused) {
      expect(answer.status).to.equal(413);
      expect(answer.headers.get('content-type')).to.match(/json/);
      expect(answer.body.error.message, JSON.stringify(answer.body)).to.match(/quota/i);
    }
    expect((await mine.post(2 * MiB)).status, 'another owner has a quota of their own').to.equal(201);

    expect((await theirs.remove(`/${accepted[0]!.headers.get('location')!.split('/').pop()}`)).status).to.equal(204);
    expect((await theirs.post(2 * MiB)).status).to.equal(201);
  });

  it('refuses an upload larger than the per-upload limit, and one whose length is deferred past the quota check', async () => {
    const tooBig = await mine.post(5 * MiB);
    expect(tooBig.status).to.equal(413);
    expect(tooBig.body.error?.message).to.match(/per upload/);
    const deferred = await request(`${platform.ws.url}/publish/api/uploads`, { method: 'POST', headers: { ...myAuth, ...TUS, 'Upload-Defer-Length': '1', 'Upload-Metadata': metadata('x.mp4') } });
    expect(deferred.status).to.equal(400);
  });

  it('gives tus-js-client a clear error when the quota is exceeded', async () => {
    await mine.create(2 * MiB);
    const error = await tusUpload(Buffer.alloc(3 * MiB + 1), { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: myAuth, metadata: { filename: 'big.mp4' } }).done.then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).to.contain('response code: 413').and.to.match(/Upload quota exceeded/);
  });

  it('refuses with 413 a direct upload that would take the owner past their storage quota, counting their pending uploads', async () => {
    const sessions = await request(`${platform.ws.url}/publish/api/uploads/sessions`, { headers: myAuth });
    let pending = (sessions.body as { Size: number }[]).reduce((sum, s) => sum + s.Size, 0);
    if (pending < 4 * MiB) await mine.create(4 * MiB - pending);
    pending = Math.max(pending, 4 * MiB);
    const form = new FormData();
    form.set('Name', 'direct.mp4');
    form.set('file', new Blob([new Uint8Array(7 * MiB - pending + 1)]), 'direct.mp4');
    const refused = await request(`${platform.ws.url}/publish/api/file/upload`, { method: 'POST', headers: myAuth, body: form });
    expect(refused.status).to.equal(413);
    expect(refused.body.error.message).to.match(/Storage quota exceeded/);
  });
});
