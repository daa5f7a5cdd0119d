import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { bearerFor, request } from './support/http.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const publishConf = {
  qualities: [
    { name: '480p', height: 480, videoBitrateKbps: 900 },
    { name: '240p', height: 240, videoBitrateKbps: 300 },
  ],
  preset: 'ultrafast',
  segmentSeconds: 2,
  thumbnails: { count: 3, width: 160 },
};

describe('publish: upload, transcode and play', () => {
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let auth: { Authorization: string };
  let otherAuth: { Authorization: string };
  let sample: Buffer;
  let fileId: string;

  const api = (path: string, init: RequestInit = {}, as = auth) => request(`${ws.url}/publish/api${path}`, { ...init, headers: { ...as, ...(init.headers as Record<string, string>) } });
  const storage = () => path.join(conf.dataDir, 'storage', 'publish');
  const readyFile = (id: string, as = auth) =>
    waitFor(async () => {
      const { body } = await request(`${ws.url}/publish/videos/${id}`, { headers: as });
      return body.entity?.state === 11 || body.entity?.state === 0 ? body.entity : undefined;
    }, 120_000, `file ${id} to be processed`);

  before(async () => {
    conf = await makeConf({ files: { 'publishConf.json': publishConf } });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    const mine = JSON.parse((await runServerJs(['--create-application', 'mine', '--scopes', 'publish'], { conf })).stdout);
    const theirs = JSON.parse((await runServerJs(['--create-application', 'theirs', '--scopes', 'publish'], { conf })).stdout);
    auth = await bearerFor(ws.url, mine.clientId, mine.clientSecret);
    otherAuth = await bearerFor(ws.url, theirs.clientId, theirs.clientSecret);
    sample = await readFile(await makeSample({ seconds: 6, width: 854, height: 480, audio: ['eng', 'fra'], subtitles: true, videoKbps: 6000 }));
    expect(sample.length).to.be.greaterThan(3 * 1024 * 1024);
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
  });

  it('answers tus discovery without credentials', async () => {
    const { status, headers } = await request(`${ws.url}/publish/api/uploads`, { method: 'OPTIONS' });
    expect(status).to.equal(204);
    expect(headers.get('tus-version')).to.contain('1.0.0');
    expect(headers.get('tus-extension')).to.contain('creation');
  });

  it('refuses tus uploads without a token', async () => {
    const { status } = await request(`${ws.url}/publish/api/uploads`, { method: 'POST', headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' } });
    expect(status).to.equal(401);
  });

  it('resumes a tus upload across a web-service crash with no byte lost, and finalizes it into a file', async () => {
    let restarted: Promise<void> | undefined;
    const { done } = tusUpload(sample, {
      endpoint: `${ws.url}/publish/api/uploads`,
      headers: auth,
      metadata: { filename: 'lecture.mkv', client_upload_uuid: 'client-1' },
      onProgress: (sent) => {
        if (sent > 1.5 * 1024 * 1024 && !restarted) {
          restarted = (async () => {
            await ws.stop('SIGKILL');
            ws = await startProcess(conf, 'ws');
          })();
        }
      },
    });
    const url = await done;
    await restarted;
    const uploadId = url.split('/').pop()!;

    const sessions = await api('/uploads/sessions');
    const session = sessions.body.find((s: { TusID: string }) => s.TusID === uploadId);
    expect(session).to.include({ Name: 'lecture.mkv', Size: sample.length, Offset: sample.length, Status: 'uploaded', ClientUploadUUID: 'client-1' });
    expect((await api('/uploads/sessions', {}, otherAuth)).body).to.deep.equal([]);

    expect((await api(`/uploads/${uploadId}/finalize`, { method: 'POST' }, otherAuth)).status).to.equal(404);
    const finalized = await api(`/uploads/${uploadId}/finalize`, { method: 'POST' });
    expect(finalized.status).to.equal(200);
    expect(finalized.body).to.include({ Name: 'lecture.mkv', ParentFolderID: 0, DeletedAt: null });
    expect(finalized.body.ID).to.be.a('number');
    fileId = finalized.body.UUID;
    const detail = await api(`/file?LinkID=${finalized.body.ID}`);
    expect(detail.body).to.include({ UUID: fileId, Size: sample.length });
    expect(detail.body.Audios.map((a: { Lang: string }) => a.Lang)).to.deep.equal(['eng', 'fra']);
    expect(detail.body.Qualitys.map((q: { Name: string; Width: number }) => `${q.Name} ${q.Width}`)).to.deep.equal(['480p 854', '240p 428']);

    const stored = await readFile(path.join(storage(), 'files', fileId, 'source.mkv'));
    expect(sha256(stored)).to.equal(sha256(sample));
    expect(await readdir(path.join(storage(), 'uploads'))).to.deep.equal([]);
    const again = await api(`/uploads/${uploadId}/finalize`, { method: 'POST' });
    expect(again.status).to.equal(200);
    expect(again.body.UUID).to.equal(fileId);
  });

  it('resumes an upload the client abandoned, from the offset the server kept', async () => {
    let aborted = false;
    const first = tusUpload(sample, {
      endpoint: `${ws.url}/publish/api/uploads`,
      headers: auth,
      metadata: { filename: 'interrupted.mkv' },
      onProgress: (sent, upload) => {
        if (sent > 1024 * 1024 && !aborted) {
          aborted = true;
          void upload.abort();
        }
      },
    });
    await waitFor(() => aborted && first.upload.url, 30_000, 'the first upload to be aborted');
    const uploadUrl = first.upload.url!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const head = await request(uploadUrl, { method: 'HEAD', headers: { ...auth, 'Tus-Resumable': '1.0.0' } });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).to.be.greaterThan(0).and.below(sample.length);
    expect((await request(uploadUrl, { method: 'HEAD', headers: { ...otherAuth, 'Tus-Resumable': '1.0.0' } })).status).to.equal(404);

    const incomplete = await api(`/uploads/${uploadUrl.split('/').pop()}/finalize`, { method: 'POST' });
    expect(incomplete.status).to.equal(409);

    await tusUpload(sample, { uploadUrl, headers: auth }).done;
    const finalized = await api(`/uploads/${uploadUrl.split('/').pop()}/finalize`, { method: 'POST' });
    expect(finalized.status).to.equal(200);
    expect(sha256(await readFile(path.join(storage(), 'files', finalized.body.UUID, 'source.mkv')))).to.equal(sha256(sample));
  });

  it('refuses a file that is not media with 400 and the reason, and keeps nothing of it', async () => {
    const url = await tusUpload(Buffer.from('just some notes, not a video'), { endpoint: `${ws.url}/publish/api/uploads`, headers: auth, metadata: { filename: 'notes.mp4' } }).done;
    const before = (await readdir(path.join(storage(), 'files'))).length;
    const finalized = await api(`/uploads/${url.split('/').pop()}/finalize`, { method: 'POST' });
    expect(finalized.status).to.equal(400);
    expect(finalized.body.error.message).to.match(/^notes\.mp4: not a media file/);
    expect(await readdir(path.join(storage(), 'uploads'))).to.deep.equal([]);
    expect((await readdir(path.join(storage(), 'files'))).length).to.equal(before);
  });

  it('transcodes the file to a ladder that never upscales, and lists it for its owner only', async () => {
    const video = await readyFile(fileId);
    expect(video.state).to.equal(11);
    const list = await request(`${ws.url}/publish/videos`, { headers: auth });
    expect(list.body.entities.map((v: { id: string }) => v.id)).to.include(fileId);
    expect((await request(`${ws.url}/publish/videos`, { headers: otherAuth })).body.entities).to.deep.equal([]);
    expect((await request(`${ws.url}/publish/videos/${fileId}`, { headers: otherAuth })).status).to.equal(404);
    const media = path.join(storage(), 'files', fileId, 'media');
    expect((await readdir(media)).sort()).to.deep.equal(['240p', '480p', 'audio', 'master.m3u8', 'muted.m3u8', 'subtitles', 'thumbs']);
    expect(existsSync(path.join(storage(), 'files', fileId, 'work'))).to.equal(false);
  });

  describe('media routes', () => {
    let cookie: string;
    let master: string;
    const media = (p: string, headers: Record<string, string> = {}) => request(`${app.url}/publish/${fileId}${p}`, { headers: { Cookie: cookie, ...headers } });

    before(async () => {
      const page = await fetch(`${app.url}/publish/v/${fileId}`);
      expect(page.status).to.equal(200);
      const setCookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!;
      expect(setCookie).to.match(/httponly/i).and.to.contain(`path=/publish/${fileId}`);
      cookie = setCookie.split(';')[0]!;
      master = (await media('/stream/multi/master.m3u8')).body as string;
    });

    it('refuses media without the player cookie, but serves thumbnails', async () => {
      const refused = await request(`${app.url}/publish/${fileId}/stream/multi/master.m3u8`);
      expect(refused.status).to.equal(403);
      expect(refused.body.error.message).to.contain('vc_media');
      const thumb = await fetch(`${app.url}/publish/${fileId}/image/thumb/thumb_001.jpg`);
      expect(thumb.status).to.equal(200);
      expect(thumb.headers.get('content-type')).to.equal('image/jpeg');
      expect((await fetch(`${app.url}/publish/${fileId}/image/thumb/poster.jpg`)).status).to.equal(200);
    });

    it('serves the master, rendition, audio and subtitle playlists and their segments', async () => {
      expect(master).to.contain('RESOLUTION=854x480').and.to.contain('RESOLUTION=428x240').and.to.not.contain('720');
      const audioUri = /TYPE=AUDIO.*URI="\.\.\/\.\.\/([^"]+)"/.exec(master)![1]!;
      const audio = await media(`/${audioUri}`);
      expect(audio.status).to.equal(200);
      expect(audio.headers.get('content-type')).to.equal('application/vnd.apple.mpegurl');
      const audioSegment = /^\.\.\/audio\/(seg_\d+\.ts)$/m.exec(audio.body as string)![1]!;
      expect((await media(`/${audioUri.split('/')[0]}/audio/${audioSegment}`)).status).to.equal(200);

      const variant = await media('/480p/video.m3u8');
      const segment = /^seg_\d+\.ts$/m.exec(variant.body as string)![0];
      const ts = await fetch(`${app.url}/publish/${fileId}/480p/${segment}`, { headers: { Cookie: cookie } });
      expect(ts.status).to.equal(200);
      expect(ts.headers.get('content-type')).to.equal('video/mp2t');

      const subUri = /TYPE=SUBTITLES.*URI="\.\.\/\.\.\/([^"]+)"/.exec(master)![1]!;
      expect((await media(`/${subUri}`)).body).to.contain('subtitle.vtt');
      const vtt = await media(`/${subUri.replace('subtitle.m3u8', 'subtitle.vtt')}`);
      expect(vtt.body).to.contain('WEBVTT').and.to.contain('First line');
      expect((await media('/stream/muted/master.m3u8')).body).to.not.contain('TYPE=AUDIO');
    });

    it('streams the MP4 with Range requests and offers the MKV as a download', async () => {
      const audioId = /TYPE=AUDIO.*URI="\.\.\/\.\.\/([^/]+)\//.exec(master)![1]!;
      const partial = await fetch(`${app.url}/publish/${fileId}/240p/${audioId}/stream/video.mp4`, { headers: { Cookie: cookie, Range: 'bytes=0-99' } });
      expect(partial.status).to.equal(206);
      expect(partial.headers.get('content-range')).to.match(/^bytes 0-99\/\d+$/);
      expect((await partial.arrayBuffer()).byteLength).to.equal(100);
      const mkv = await fetch(`${app.url}/publish/${fileId}/480p/download/video.mkv`, { headers: { Cookie: cookie } });
      expect(mkv.status).to.equal(200);
      expect(mkv.headers.get('content-disposition')).to.equal('attachment; filename="lecture-480p.mkv"');
    });

    it('never leaves the media folder, whatever the path', async () => {
      for (const attempt of ['/..%2F..%2F..%2Fsource.mkv', '/480p/..%2Fsource.mkv', '/480p/%2e%2e', '/1080p/video.m3u8', '/480p/../source.mkv', '/image/thumb/..%2F..%2Fsource.mkv', '/ffffffff-ffff-ffff-ffff-ffffffffffff/audio/seg_00000.ts']) {
        const { status } = await media(attempt);
        expect([403, 404], attempt).to.include(status);
      }
      const fakeFile = await request(`${app.url}/publish/..%2F..%2Fsecrets/stream/multi/master.m3u8`, { headers: { Cookie: cookie } });
      expect(fakeFile.status).to.equal(404);
    });
  });

  describe('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(() => browser?.close());

    it('plays the video at two qualities', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app.url}/publish/v/${fileId}`);
      await page.waitForFunction(() => document.querySelectorAll('#quality option').length === 3);
      expect(await page.$$eval('#audio option', (options) => options.map((o) => o.textContent))).to.deep.equal(['eng', 'fra']);

      const playAt = async (level: string, height: number) => {
        await page.selectOption('#quality', level);
        await page.evaluate(() => {
          const video = document.querySelector('video')!;
          video.muted = true;
          return video.play();
        });
        await page.waitForFunction((h) => document.querySelector('video')!.videoHeight === h, height, { timeout: 20_000 });
        const start = await page.evaluate(() => document.querySelector('video')!.currentTime);
        await page.waitForFunction((t) => document.querySelector('video')!.currentTime > t + 1, start, { timeout: 20_000 });
      };
      await playAt('0', 240);
      await playAt('1', 480);
      expect(errors).to.deep.equal([]);
    });
  });
});
