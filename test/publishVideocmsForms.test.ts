import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { request } from './support/http.js';
import { makeSample } from './support/media.js';
import { runServerJs } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const PASSWORD = 'correct horse battery';
const EXAMPLE = '6f1c1d2e-8a4b-4c3d-9e2f-0a1b2c3d4e5f';

/** FormData as VideoCMS's front end builds it: fetch sends it as multipart/form-data with its boundary. */
const formData = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
};

describe('publish: VideoCMS requests as its own front end sends them', () => {
  let platform: PublishPlatform;
  let bearer: Record<string, string>;
  let sample: Buffer;
  const post = (route: string, form: FormData, method = 'POST', as = bearer) => request(`${platform.ws.url}/publish/api${route}`, { method, headers: as, body: form });

  before(async () => {
    platform = await startPublishPlatform({ qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', segmentSeconds: 2, exampleVideo: EXAMPLE });
    const created = await runServerJs(['--create-user', 'ann@example.test', '--password-stdin'], { conf: platform.conf, stdin: `${PASSWORD}\n` });
    if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240, audio: ['eng'] }));
  });
  after(async () => {
    await platform?.stop();
  });

  it('logs in with a multipart/form-data body', async () => {
    const logged = await post('/auth/login', formData({ username: 'ann@example.test', password: PASSWORD }), 'POST', {});
    expect(logged.status, JSON.stringify(logged.body)).to.equal(200);
    expect(logged.body).to.have.keys('exp', 'token');
    bearer = { Authorization: `Bearer ${logged.body.token as string}` };
    const wrong = await post('/auth/login', formData({ username: 'ann@example.test', password: 'not the password' }), 'POST', {});
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.message).to.be.a('string');
  });

  it('creates, renames and deletes folders, and tags files, from multipart/form-data', async () => {
    const folder = await post('/folder', formData({ name: 'From the SPA', ParentFolderID: '0' }));
    expect(folder.status, JSON.stringify(folder.body)).to.equal(200);
    expect(folder.body).to.include({ Name: 'From the SPA', ParentFolderID: 0, DeletedAt: null });
    expect((await post('/folder', formData({ FolderID: String(folder.body.ID), Name: 'Renamed' }), 'PUT')).status).to.equal(200);
    expect((await platform.call('GET', '/folders', undefined, bearer)).body.map((f: { Name: string }) => f.Name)).to.deep.equal(['Renamed']);

    const url = await tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: bearer, metadata: { filename: 'clip.mkv' } }).done;
    const link = (await platform.call('POST', `/uploads/${url.split('/').pop()}/finalize`, undefined, bearer)).body;
    const tag = await post('/file/tag', formData({ Name: 'lecture', LinkId: String(link.ID) }));
    expect(tag.status, JSON.stringify(tag.body)).to.equal(200);
    expect(tag.body).to.include({ Name: 'lecture', DeletedAt: null });
    expect((await post('/file/tag', formData({ TagId: String(tag.body.ID), LinkId: String(link.ID) }), 'DELETE')).status).to.equal(200);
    expect((await post('/folder', formData({ FolderID: String(folder.body.ID) }), 'DELETE')).status).to.equal(200);
    expect((await platform.call('GET', '/folders', undefined, bearer)).body).to.deep.equal([]);
  });

  it('answers bad multipart bodies with a 400 JSON error: missing fields, a file part, a broken body', async () => {
    const missing = await post('/folder', formData({ ParentFolderID: '0' }));
    expect(missing.status).to.equal(400);
    expect(missing.body.error.message).to.be.a('string');
    const withFile = new FormData();
    withFile.append('Name', 'x');
    withFile.append('file', new Blob([Buffer.from('bytes')]), 'a.txt');
    const filePart = await post('/folder', withFile);
    expect(filePart.status).to.equal(400);
    expect(filePart.body.error.message).to.contain('no file');
    const broken = await request(`${platform.ws.url}/publish/api/folder`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="Name"\r\n\r\nunterminated',
    });
    expect(broken.status).to.equal(400);
    expect(broken.body.error).to.include({ code: 'bad_request' });
  });

  it('lists upload sessions with ID, UUID, PartCount and ExpiresAt', async () => {
    const started = tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: platform.auth, metadata: { filename: 'pending.mkv', client_upload_uuid: 'c-1' } });
    const url = await started.done;
    const { status, body } = await platform.call('GET', '/uploads/sessions', undefined);
    expect(status).to.equal(200);
    const session = body.find((s: { TusID: string }) => s.TusID === url.split('/').pop());
    expect(session).to.have.keys('ID', 'CreatedAt', 'Name', 'UUID', 'ClientUploadUUID', 'TusID', 'Size', 'Offset', 'PartCount', 'Status', 'ExpiresAt');
    expect(session).to.include({ Name: 'pending.mkv', ClientUploadUUID: 'c-1', Size: sample.length, Offset: sample.length, PartCount: 0, Status: 'uploaded' });
    expect(session.ID).to.be.a('number').above(0);
    expect(session.UUID).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Date(session.ExpiresAt).getTime() - new Date(session.CreatedAt).getTime()).to.be.above(3600_000);
    const head = await fetch(url, { method: 'HEAD', headers: { ...platform.auth, 'Tus-Resumable': '1.0.0' } });
    expect(head.headers.get('upload-metadata')).to.not.contain('bWhf'); // base64 of "mh_" never leaves
    expect(Buffer.from(head.headers.get('upload-metadata')!.split(',').map((p) => p.split(' ')[0]).join(',')).toString()).to.not.contain('mh_');
  });

  it('streams the MP4 with the /1/ form of STREAM, and /0/ downloads the MKV', async () => {
    const url = await tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: platform.auth, metadata: { filename: 'stream.mkv' } }).done;
    const link = (await platform.call('POST', `/uploads/${url.split('/').pop()}/finalize`, undefined)).body;
    await waitFor(async () => (await platform.call('GET', `/file?LinkID=${link.ID}`, undefined)).body.Qualitys?.[0]?.Ready, 60_000, 'the file to be ready');
    const page = await fetch(`${platform.app.url}/publish/v/${link.UUID}`);
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
    for (const flag of ['1', 'true']) {
      const mp4 = await fetch(`${platform.app.url}/publish/${link.UUID}/240p/${flag}/stream/video.mp4`, { headers: { Cookie: cookie, Range: 'bytes=0-99' } });
      expect(mp4.status, flag).to.equal(206);
      expect(mp4.headers.get('content-type')).to.equal('video/mp4');
      expect((await mp4.arrayBuffer()).byteLength).to.equal(100);
    }
    const mkv = await fetch(`${platform.app.url}/publish/${link.UUID}/240p/0/stream/video.mp4`, { headers: { Cookie: cookie } });
    expect(mkv.status).to.equal(200);
    expect(mkv.headers.get('content-disposition')).to.equal('attachment; filename="stream-240p.mkv"');
    expect((await fetch(`${platform.app.url}/publish/${link.UUID}/240p/2/stream/video.mp4`, { headers: { Cookie: cookie } })).status).to.equal(404);
  });

  it('answers a method a route does not take with a JSON 405 naming the allowed ones', async () => {
    const refused = await request(`${platform.ws.url}/publish/api/folders`, { method: 'PATCH', headers: platform.auth });
    expect(refused.status).to.equal(405);
    expect(refused.headers.get('content-type')).to.contain('application/json');
    expect(refused.headers.get('allow')).to.contain('GET');
    expect(refused.body.error).to.include({ code: 'method_not_allowed', module: 'publish' });
    const media = await request(`${platform.app.url}/publish/00000000-0000-4000-8000-000000000000/stream/multi/master.m3u8`, { method: 'POST' });
    expect(media.status).to.equal(405);
    expect(media.body.error).to.include({ code: 'method_not_allowed' });
  });

  it('answers the public /api/config and /api/file/example without a credential, in their VideoCMS shapes', async () => {
    const config = await request(`${platform.ws.url}/publish/api/config`);
    expect(config.status).to.equal(200);
    expect(config.body).to.have.keys(
      'AppName', 'BaseUrl', 'EncodingEnabled', 'UploadEnabled', 'MaxUploadFilesize', 'MaxUploadChunkSize', 'MaxUploadSessions', 'FolderVideoQualitys',
      'CaptchaEnabled', 'CaptchaLoginEnabled', 'CaptchaPlayerEnabled', 'CaptchaType', 'Captcha_Recaptcha_PublicKey', 'Captcha_Hcaptcha_PublicKey',
      'Captcha_Turnstile_PublicKey', 'ContinueWatchingPopupEnabled', 'DownloadEnabled', 'RemoteDownloadEnabled', 'PlayerV2Enabled',
    );
    expect(config.body).to.include({ FolderVideoQualitys: '/publish', UploadEnabled: true, RemoteDownloadEnabled: true, CaptchaEnabled: false });
    expect(config.body.MaxUploadFilesize).to.be.a('number').above(0);
    const example = await fetch(`${platform.ws.url}/publish/api/file/example`);
    expect(example.status).to.equal(200);
    expect(example.headers.get('content-type')).to.contain('text/plain');
    expect(await example.text()).to.equal(EXAMPLE);
  });
});
