import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { wevClient } from './support/wev.js';

/**
 * The editor page as a clip editor: a user logged in through SSO adds a clip from their media, trims, reorders,
 * joins the clips with a transition, adds a text and saves; the partner's API then reads exactly those tracks.
 * A bad out point is refused by the server, whose message the page shows, and nothing is saved.
 */
describe('editor: the browser editor edits and saves a timeline', function () {
  this.timeout(300_000);
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let browser: Browser;
  let partner: http.Server;
  let partnerUrl: string;
  const clips: Record<string, Buffer> = {};

  before(async () => {
    clips['/beach.mkv'] = await readFile(await makeSample({ seconds: 4 }));
    clips['/city.mkv'] = await readFile(await makeSample({ seconds: 3, width: 320, height: 180 }));
    clips['/song.m4a'] = await readFile(await makeSample({ seconds: 2, videoless: true }));
    partner = http.createServer((req, res) => {
      const clip = clips[req.url ?? ''];
      if (clip) return void res.writeHead(200, { 'Content-Type': req.url!.endsWith('.m4a') ? 'audio/mp4' : 'video/x-matroska' }).end(clip);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    conf = await makeConf({
      plugins: ['editor'],
      server: { outbound: { allowedNetworks: ['127.0.0.1/32'] } },
      files: { 'editorConf.json': { proxy: { preset: 'veryfast' } } },
    });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([app?.stop(), ws?.stop(), new Promise((resolve) => partner?.close(resolve))]);
  });

  it('adds a clip from the media list, trims, reorders, adds a text, saves them, and shows the server refusing a bad out point', async () => {
    const credentials = JSON.parse((await runServerJs(['--create-application', 'partner', '--scopes', 'editor'], { conf })).stdout);
    const wev = wevClient(`${ws.url}/editor`, credentials.clientId, credentials.clientSecret, 'python');
    const created = await wev('POST', '/api/3/users', { body: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com' } });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    const user = created.body;
    const imported: Record<string, { id: number; duration: number }> = {};
    for (const [url, title] of [['/beach.mkv', 'Beach'], ['/city.mkv', 'City'], ['/song.m4a', 'Song']] as const) {
      const answer = await wev('POST', '/api/4/files/import', { body: { urls: [{ url: `${partnerUrl}${url}`, title }], userId: user.userId } });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      const { tickets } = answer.body;
      const status = await waitFor(async () => {
        const entry = (await wev('GET', `/api/4/files/status/${tickets[0]}`)).body[tickets[0]];
        return entry.status === 'TICKET_REGISTERED' ? undefined : entry;
      }, 120_000, `the import of ${title}`);
      expect(status.status).to.equal('COMPLETED');
      imported[title] = { id: status.fileId, duration: (await wev('GET', `/api/4/files/${status.fileId}`)).body.duration };
    }
    const beach = imported.Beach!;
    const city = imported.City!;
    const song = imported.Song!;
    expect(beach.duration).to.be.closeTo(4000, 100);
    expect(city.duration).to.be.closeTo(3000, 100);
    const { timelineId } = (
      await wev('POST', '/api/4/timelines', { body: { title: 'Trip', userId: user.userId, tracks: [{ type: 'video', clips: [{ fileId: beach.id, in: 0, out: 4000 }] }] } })
    ).body;

    const { loginToken } = (await wev('POST', '/api/3/sso/auth', { body: { email: 'ada@example.com' } })).body;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/editor/api/3/sso/login/${loginToken}?target=editor`);
    expect(page.url()).to.match(new RegExp(`/editor/api/3/editor/${timelineId}$`));
    expect(await page.locator('#duration').textContent()).to.equal('4.0 s');
    const videoClips = page.locator('.track.video .item');
    const setNumber = async (input: ReturnType<typeof page.locator>, value: string) => {
      await input.fill(value);
      await input.dispatchEvent('change');
    };

    // the user's media are listed; City goes onto the video track after Beach, the song onto the audio track
    expect(await page.locator('#media .media-item').count()).to.equal(3);
    await page.click(`#media .media-item[data-file-id="${city.id}"] .add`);
    await page.click(`#media .media-item[data-file-id="${song.id}"] .add`);
    expect(await videoClips.count()).to.equal(2);
    const audioClips = page.locator('.track.audio .item');
    expect(await audioClips.count()).to.equal(1);
    await setNumber(audioClips.nth(0).locator('input.start'), '1');
    // a clip added by mistake is removed
    await page.click(`#media .media-item[data-file-id="${beach.id}"] .add`);
    expect(await videoClips.count()).to.equal(3);
    await videoClips.nth(2).locator('.remove').click();
    expect(await videoClips.count()).to.equal(2);
    expect(await videoClips.nth(1).getAttribute('data-file-id')).to.equal(String(city.id));
    expect(await videoClips.nth(1).locator('input.out').inputValue()).to.equal(String(city.duration / 1000));

    // Beach ends at 2.5 s; City moves up, and Beach dissolves in from it
    await setNumber(videoClips.nth(0).locator('input.out'), '2.5');
    await videoClips.nth(1).locator('.up').click();
    expect(await videoClips.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.fileId))).to.deep.equal([String(city.id), String(beach.id)]);
    await videoClips.nth(1).locator('select.transition').selectOption('dissolve');
    await setNumber(videoClips.nth(1).locator('input.transition-duration'), '0.4');

    // a text: "Day one", from 0.5 s for 1.5 s, orange; a second one is added then removed
    await page.click('#add-text');
    await page.click('#add-text');
    await page.locator('.track.text .item').nth(1).locator('.remove').click();
    expect(await page.locator('.track.text .item').count()).to.equal(1);
    const text = page.locator('.track.text .item').first();
    await text.locator('input.text').fill('Day one');
    await text.locator('input.text').dispatchEvent('change');
    await setNumber(text.locator('input.start'), '0.5');
    await setNumber(text.locator('input.duration'), '1.5');
    await text.locator('input.color').fill('#ff8800');
    await text.locator('input.color').dispatchEvent('change');

    await page.click('#save');
    await page.waitForSelector('#status[data-status="SAVED"]');
    const edited = [
      { type: 'video', clips: [{ fileId: city.id, in: 0, out: city.duration, volume: 1 }, { fileId: beach.id, in: 0, out: 2500, volume: 1, transition: { type: 'dissolve', duration: 400 } }] },
      { type: 'audio', clips: [{ fileId: song.id, in: 0, start: 1000, volume: 1 }] },
      { type: 'text', texts: [{ text: 'Day one', start: 500, duration: 1500, color: '#ff8800', size: 48, x: 0.5, y: 0.85 }] },
    ];
    const saved = (await wev('GET', `/api/4/timelines/${timelineId}`)).body;
    expect(saved.tracks).to.deep.equal(edited);
    expect(saved.duration).to.equal(city.duration + 2500 - 400);
    expect(await page.locator('#duration').textContent()).to.equal(`${(saved.duration / 1000).toFixed(1)} s`);
    // the preview now starts with City, the first clip, from its proxy
    expect(await page.locator('#preview').getAttribute('data-file')).to.equal(String(city.id));
    await page.waitForFunction(() => (document.getElementById('preview') as HTMLVideoElement).readyState >= 1, undefined, { timeout: 30_000 });

    // an out point past the end of City: the page warns, the server refuses, its message is shown, nothing changes
    await setNumber(videoClips.nth(0).locator('input.out'), String(city.duration / 1000 + 5));
    expect(await videoClips.nth(0).locator('.problem').textContent()).to.match(/past the end/);
    await page.click('#save');
    await page.waitForSelector('#status[data-status="ERROR"]');
    const message = await page.locator('#status').textContent();
    expect(message).to.match(new RegExp(`out point ${city.duration + 5000} ms is past the end of file ${city.id}`));
    const after = (await wev('GET', `/api/4/timelines/${timelineId}`)).body;
    expect(after.tracks).to.deep.equal(edited);
    expect(after.duration).to.equal(saved.duration);
    expect(errors).to.deep.equal([]);
  });
});
