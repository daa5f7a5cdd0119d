import { expect } from 'chai';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { launchBrowser } from './support/browser.js';
import { testRoot } from './support/globalDatabase.js';
import { makeSample } from './support/media.js';
import { runServerJs } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const PASSWORD = 'correct horse battery';
/** Where the screenshots go: MEDIAHOST_SCREENSHOTS to keep them for a look, else the run's folder (removed with it). */
const shotsDir = () => process.env.MEDIAHOST_SCREENSHOTS ?? path.join(testRoot(), 'screenshots');

/** The back office's admin page in Chromium, on figures made by real uploads, transcodes and playback. */
describe('publish: the admin dashboard and management pages in Chromium', () => {
  let platform: PublishPlatform;
  let browser: Browser;
  let page: Page;
  let annBearer: Record<string, string>;
  let servedBytes = 0;
  const pageErrors: string[] = [];

  const login = async (username: string) => {
    const logged = await platform.call('POST', '/auth/login', { username, password: PASSWORD }, {});
    return { Authorization: `Bearer ${logged.body.token as string}` };
  };
  const shoot = async (name: string) => {
    await mkdir(shotsDir(), { recursive: true });
    await page.screenshot({ path: path.join(shotsDir(), `${name}.png`), fullPage: true });
  };
  const openAdmin = async () => {
    await page.goto(`${platform.app.url}/be/publish/admin`);
    await page.waitForSelector('#app[data-ready="true"]', { timeout: 30_000 });
  };

  before(async () => {
    // Usage is flushed every second, so the dashboard shows this test's traffic without a restart.
    platform = await startPublishPlatform({ qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', segmentSeconds: 1, usageFlushSeconds: 1 }, {}, ['publish']);
    for (const [email, role] of [['root@example.test', ['--role', 'admin']], ['ann@example.test', []]] as const) {
      const created = await runServerJs(['--create-user', email, '--password-stdin', ...role], { conf: platform.conf, stdin: `${PASSWORD}\n` });
      if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    }
    annBearer = await login('ann@example.test');

    // Ann uploads a video, it is transcoded, and a viewer plays it.
    const sample = await readFile(await makeSample({ seconds: 3, width: 320, height: 240 }));
    const url = await tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: annBearer, metadata: { filename: 'lesson.mkv' } }).done;
    const link = (await platform.call('POST', `/uploads/${url.split('/').pop()}/finalize`, undefined, annBearer)).body;
    await waitFor(async () => (await platform.call('GET', `/file?LinkID=${link.ID}`, undefined, annBearer)).body.Qualitys?.[0]?.Ready, 60_000, 'the file to be ready');
    const player = await fetch(`${platform.app.url}/publish/v/${link.UUID}`);
    const cookie = player.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
    const playlist = await (await fetch(`${platform.app.url}/publish/${link.UUID}/240p/video.m3u8`, { headers: { Cookie: cookie } })).text();
    servedBytes += Buffer.byteLength(playlist);
    for (const segment of playlist.split('\n').filter((line) => line.endsWith('.ts'))) {
      servedBytes += (await (await fetch(`${platform.app.url}/publish/${link.UUID}/240p/${segment}`, { headers: { Cookie: cookie } })).arrayBuffer()).byteLength;
    }
    const admin = await login('root@example.test');
    await waitFor(async () => (await platform.call('GET', '/stats/traffic/top', undefined, admin)).body[0]?.value === servedBytes, 20_000, 'the traffic to be flushed');

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${platform.app.url}/be/login?next=/be/publish/admin`);
    await page.fill('input[name="email"]', 'root@example.test');
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL('**/be/publish/admin'), page.click('button[type="submit"]')]);
    await page.waitForSelector('#app[data-ready="true"]', { timeout: 30_000 });
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('draws the traffic, uploads, encoding and storage charts and the top lists from the real figures', async () => {
    expect(await page.getAttribute('header nav a:text("Video platform")', 'href')).to.equal('/be/publish/admin');
    const total = (name: string) => page.textContent(`[data-total="${name}"]`);
    expect(await total('traffic')).to.not.equal('0 B');
    expect(await total('upload')).to.not.equal('0 B');
    expect(await total('encoding')).to.match(/^\d+(\.\d)? (s|min)$/).and.not.equal('0.0 s');
    expect(await total('storage')).to.not.equal('0 B');
    expect(await page.textContent('[data-top="files"]')).to.contain('lesson.mkv');
    expect(await page.textContent('[data-top="users"]')).to.contain('ann@example.test');
    expect(await page.textContent('[data-top="largest-files"]')).to.contain('lesson.mkv');
    expect(await page.textContent('[data-top="largest-users"]')).to.contain('ann@example.test');
    // Each chart painted something: a line over today's point at least.
    for (const chart of ['traffic', 'upload', 'encoding', 'storage']) {
      const painted = await page.$eval(`canvas[data-chart="${chart}"]`, (canvas) => {
        const { data } = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count += 1;
        return count;
      });
      expect(painted, chart).to.be.greaterThan(500);
    }
    await shoot('dashboard');
  });

  it('manages users: creates one, turns their uploads off and sets a quota, which the API then enforces', async () => {
    await page.fill('#new-user input[name="username"]', 'bea@example.test');
    await page.fill('#new-user input[name="password"]', PASSWORD);
    await page.click('#new-user button[type="submit"]');
    const row = page.locator('#users tbody tr', { hasText: 'bea@example.test' });
    await row.waitFor();
    await row.locator('[data-field="uploadEnabled"]').uncheck();
    await row.locator('[data-field="storage"]').fill('123456');
    await row.locator('button[data-action="save-user"]').click();
    const bea = await login('bea@example.test');
    await waitFor(async () => (await platform.call('GET', '/account', undefined, bea)).body.Storage === 123456, 10_000, 'the quota to be saved');
    expect((await platform.call('GET', '/account', undefined, bea)).body.Settings.UploadEnabled).to.equal(false);
    await shoot('users');
  });

  it('changes the settings, which the public config shows', async () => {
    await page.fill('#settings input[name="AppName"]', 'Campus Video');
    await page.click('#settings button[type="submit"]');
    await page.waitForSelector('#settings [data-role="saved"]:text("Saved.")');
    expect((await platform.call('GET', '/config', undefined, {})).body.AppName).to.equal('Campus Video');
  });

  it('writes a page whose script is removed, and shows it', async () => {
    await page.fill('#page-form input[name="Path"]', 'about');
    await page.fill('#page-form input[name="Title"]', 'About');
    await page.fill('#page-form textarea[name="Html"]', '<h1>About us</h1><p>Lectures online.</p><script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">');
    await page.click('#page-form button[type="submit"]');
    const link = page.locator('#pages tbody a', { hasText: 'about/' });
    await link.waitFor();
    const [view] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await view.waitForLoadState();
    expect(await view.textContent('h1')).to.equal('About us');
    expect(await view.evaluate(() => (window as { __xss?: unknown }).__xss)).to.equal(undefined);
    await view.screenshot({ path: path.join(shotsDir(), 'page-view.png') });
    await view.close();
    await openAdmin();
    await shoot('pages');
    expect(pageErrors).to.deep.equal([]);
  });

  it('is closed to a signed-in user who is not an admin, page and API alike', async () => {
    const ann = await BackOfficeSession.signIn(platform.app.url, 'ann@example.test', PASSWORD);
    expect((await ann.get('/be/publish/admin')).status).to.equal(403);
    for (const path of ['/users', '/settings', '/pages', '/stats/traffic']) expect((await ann.get(`/be/publish/api${path}`)).status, path).to.equal(403);
    const create = await fetch(`${platform.app.url}/be/publish/api/users`, {
      method: 'POST',
      headers: { ...ann.headers(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'x@example.test', password: PASSWORD }),
    });
    expect(create.status).to.equal(403);
  });
});
