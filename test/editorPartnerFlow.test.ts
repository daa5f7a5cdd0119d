import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { makeSample } from './support/media.js';
import { tempDir } from './support/tempDir.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { wevClient } from './support/wev.js';

const run = promisify(execFile);

/**
 * The reference's partner flow, end to end: the partner's server creates a user, gets a login token, the user's
 * browser logs in and lands in the editor; the server imports a clip, waits for it, makes a timeline; the user
 * opens it and exports it; the partner's server is told by exportEnding and fetches an MP4 that plays.
 */
describe('editor: the partner flow of the reference, end to end', function () {
  this.timeout(300_000);
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let browser: Browser;
  let partner: http.Server;
  let partnerUrl: string;
  const hooks: { event: string; body: any }[] = [];
  let clip: Buffer;

  before(async () => {
    clip = await readFile(await makeSample({ seconds: 4, width: 960, height: 540 }));
    partner = http.createServer((req, res) => {
      if (req.url === '/clip.mkv') return void res.writeHead(200, { 'Content-Type': 'video/x-matroska' }).end(clip);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/wevideoevents') hooks.push({ event: String(req.headers['wev-event-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    conf = await makeConf({
      plugins: ['editor'],
      server: { outbound: { allowedNetworks: ['127.0.0.1/32'], webhookRetryDelayMs: 200 } },
      files: { 'editorConf.json': { proxy: { preset: 'veryfast' }, export: { preset: 'veryfast', width: 640, height: 360 } } },
    });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([app?.stop(), ws?.stop(), new Promise((resolve) => partner?.close(resolve))]);
  });

  it('creates a user, logs them in through SSO, imports a clip, makes a timeline, exports it, and the MP4 plays', async () => {
    const credentials = JSON.parse((await runServerJs(['--create-application', 'partner', '--scopes', 'editor'], { conf })).stdout);
    const wev = wevClient(`${ws.url}/editor`, credentials.clientId, credentials.clientSecret, 'python');

    // 1. the partner's server maps its user to an editor user
    const user = (await wev('POST', '/api/3/users', { body: { firstName: 'Jonathon', lastName: 'Harrington', email: 'jonathon.harrington@example.com' } })).body;
    expect(user.userId).to.be.a('number');
    for (const event of ['uploadCompleted', 'timelineOpened', 'exportStarting', 'exportEnding']) {
      expect((await wev('POST', '/api/4/webhooks', { body: { url: `${partnerUrl}/wevideoevents`, event } })).body.success).to.equal(true);
    }

    // 2. a one-time login token, 3. used by the user's browser, which lands in the editor
    const { loginToken } = (await wev('POST', '/api/3/sso/auth', { body: { email: 'jonathon.harrington@example.com' } })).body;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/editor/api/3/sso/login/${loginToken}?target=editor`);
    expect(page.url()).to.match(/\/editor\/api\/3\/editor\/\d+$/);
    expect(await page.locator('#title').textContent()).to.equal('My video');

    // 4. the server imports a clip for the user, 5. and waits for it
    const { tickets } = (await wev('POST', '/api/4/files/import', { body: { urls: [{ url: `${partnerUrl}/clip.mkv`, title: 'Holiday' }], userId: user.userId } })).body;
    const status = await waitFor(async () => {
      const entry = (await wev('GET', `/api/4/files/status/${tickets[0]}`)).body[tickets[0]];
      return entry.status === 'TICKET_REGISTERED' ? undefined : entry;
    }, 120_000, 'the import');
    expect(status.status).to.equal('COMPLETED');
    const uploaded = await waitFor(() => hooks.find((h) => h.event === 'uploadCompleted'), 30_000, 'uploadCompleted');
    expect(uploaded.body).to.deep.include({ uploadId: tickets[0], id: status.fileId, type: 'video', description: '' });
    expect(uploaded.body.file).to.include({ title: 'Holiday', mimetype: 'video/x-matroska', size: clip.length });

    // 6. a timeline: 3 s of the clip, then 2 s of it faded in over 0.5 s, a title over the start
    const { timelineId } = (
      await wev('POST', '/api/4/timelines', {
        body: {
          title: 'Holiday edit',
          userId: user.userId,
          tracks: [
            { type: 'video', clips: [{ fileId: status.fileId, in: 0, out: 3000 }, { fileId: status.fileId, in: 1000, out: 3000, transition: { type: 'dissolve', duration: 500 } }] },
            { type: 'text', texts: [{ text: 'Summer \'26: "day one"', start: 0, duration: 2000, font: 'DejaVu Serif', size: 36, color: '#ffcc00', background: '#000000' }] },
          ],
        },
      })
    ).body;
    expect((await wev('GET', `/api/4/timelines/${timelineId}`)).body.duration).to.equal(4500);

    // 7. the user opens it in the editor and exports it
    await page.goto(`${app.url}/editor/api/3/editor/${timelineId}`);
    expect(await page.locator('#title').textContent()).to.equal('Holiday edit');
    expect(await page.locator('.track.video .item').count()).to.equal(2);
    const opened = await waitFor(() => hooks.find((h) => h.event === 'timelineOpened' && h.body.payload.id === timelineId), 30_000, 'timelineOpened');
    expect(opened.body.payload).to.deep.equal({ instanceId: opened.body.instanceId, id: timelineId });
    expect(opened.body.user).to.equal('Jonathon Harrington');
    // the preview plays the clip's proxy (480x272 fitted: 480x270)
    await page.waitForFunction(() => (document.getElementById('preview') as HTMLVideoElement).readyState >= 1, undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => { const v = document.getElementById('preview') as HTMLVideoElement; return [v.videoWidth, v.videoHeight]; })).to.deep.equal([480, 270]);
    // the user renames the timeline and saves it
    await page.fill('#title-input', 'Holiday edit (final)');
    await page.click('#save');
    await page.waitForSelector('#status[data-status="SAVED"]');
    expect((await wev('GET', `/api/4/timelines/${timelineId}`)).body.title).to.equal('Holiday edit (final)');
    await page.click('#export');
    await page.waitForSelector('#status[data-status="COMPLETED"]', { timeout: 180_000 });
    expect(errors).to.deep.equal([]);

    // 8. exportStarting, then exportEnding with the file
    const starting = await waitFor(() => hooks.find((h) => h.event === 'exportStarting'), 30_000, 'exportStarting');
    expect(starting.body.payload).to.include({ userId: user.userId, timelineId, duration: 4500, title: 'Holiday edit (final)' });
    const ending = await waitFor(() => hooks.find((h) => h.event === 'exportEnding'), 60_000, 'exportEnding');
    expect(ending.body.type).to.equal('exportEnding');
    expect(ending.body.payload).to.include({ exportId: starting.body.payload.exportId, status: 'COMPLETED', timelineId, userId: user.userId, duration: 4500 });
    expect(ending.body.payload.fileId).to.be.a('number');

    // 9. the MP4 the partner downloads plays, H.264 + AAC, for the timeline's 4.5 s
    const download = await fetch(ending.body.payload.urls.file);
    expect(download.status).to.equal(200);
    const mp4 = Buffer.from(await download.arrayBuffer());
    expect(mp4.length).to.equal(ending.body.payload.fileSize);
    const file = path.join(await tempDir('editor-export-'), 'export.mp4');
    await writeFile(file, mp4);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
    const probe = JSON.parse(stdout);
    expect(Number(probe.format.duration)).to.be.closeTo(4.5, 0.1);
    const video = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    expect(video).to.include({ codec_name: 'h264', width: 640, height: 360 });
    expect(probe.streams.find((s: { codec_type: string }) => s.codec_type === 'audio')).to.include({ codec_name: 'aac' });
    await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);

    // 10. the export is listed among the user's exports and media
    const exports = (await wev('GET', `/api/3/users/${user.userId}/exports`)).body;
    expect(exports.data.map((e: { exportId: string }) => e.exportId)).to.deep.equal([starting.body.payload.exportId]);
    const media = (await wev('GET', `/api/3/users/${user.userId}/media`)).body.data;
    expect(media.find((m: { id: number }) => m.id === ending.body.payload.fileId)).to.include({ type: 'video', title: 'Holiday edit (final)', mimetype: 'video/mp4' });
  });
});
