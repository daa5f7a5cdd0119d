import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { launchBrowser } from './support/browser.js';
import { makeSample } from './support/media.js';
import { seed, startPlatform, type Platform } from './support/platform.js';

describe('publish back office in Chromium', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let sample: string;
  const errors: string[] = [];

  before(async () => {
    platform = await startPlatform({ files: { 'publishConf.json': { qualities: [{ name: '360p', height: 360, videoBitrateKbps: 600 }], segmentSeconds: 2, preset: 'ultrafast' } } });
    const admin = await seed(platform.conf, []);
    sample = await makeSample({ seconds: 4 });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${platform.app.url}/be/login?next=/be/publish`);
    await page.fill('input[name="email"]', admin.email);
    await page.fill('input[name="password"]', admin.password);
    await Promise.all([page.waitForURL('**/be/publish'), page.click('button[type="submit"]')]);
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('is listed in the navigation', async () => {
    expect(await page.getAttribute('header nav a:text("Videos")', 'href')).to.equal('/be/publish');
  });

  it('creates a folder and opens it', async () => {
    await page.fill('#new-folder input[name="name"]', 'Lectures');
    await page.click('#new-folder button');
    await page.click('.folders a:has-text("Lectures")');
    await page.waitForSelector('[data-role="breadcrumb"] a:text("Lectures")');
  });

  it('uploads a video with a progress bar, then shows its processing until it is ready', async () => {
    await page.setInputFiles('#upload input[type="file"]', sample);
    await page.click('#upload button');
    await page.waitForFunction(() => (document.getElementById('upload-progress') as HTMLProgressElement | null)?.value === 100 || !!document.querySelector('tbody [data-status]'));
    await page.waitForSelector('tbody td[data-role="name"]:text("sample.mkv")');
    await page.waitForSelector('tbody [data-status="ready"]', { timeout: 60_000 });
  });

  it('renames the video and plays it from its link', async () => {
    page.once('dialog', (dialog) => void dialog.accept('Week 1 lecture'));
    await page.click('tbody button[data-action="rename"]');
    await page.waitForSelector('tbody td[data-role="name"]:text("Week 1 lecture")');
    const href = (await page.getAttribute('tbody a[data-action="play"]', 'href'))!;
    const player = await browser.newPage();
    await player.goto(href);
    await player.waitForFunction(() => document.querySelectorAll('#quality option').length === 2);
    expect(await player.title()).to.equal('Week 1 lecture');
    await player.close();
  });

  it('deletes the video and the folder', async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('tbody button[data-action="delete"]');
    await page.waitForSelector('tbody td:text("No video here yet.")');
    await page.click('[data-role="breadcrumb"] a:text("All videos")');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('.folders button[data-action="delete-folder"]');
    await page.waitForFunction(() => document.querySelectorAll('.folders li').length === 0);
    expect(errors).to.deep.equal([]);
  });

  it('is closed to users without the publish.manage permission', async () => {
    const admin = await BackOfficeSession.signIn(platform.app.url, 'admin@example.test', 'correct horse battery');
    await admin.api('POST', '/roles', { name: 'nobody', permissions: [] });
    await admin.api('POST', '/users', { email: 'plain@example.test', password: 'long enough pass', roles: ['nobody'] });
    const plain = await BackOfficeSession.signIn(platform.app.url, 'plain@example.test', 'long enough pass');
    expect((await plain.get('/be/publish/api/files')).status).to.equal(403);
    expect((await plain.get('/be/publish')).status).to.equal(403);
  });
});
