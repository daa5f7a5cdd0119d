import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { basic, request } from './support/http.js';
import { seed, startPlatform, type Platform } from './support/platform.js';

describe('back office in Chromium', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let admin: { email: string; password: string };
  const pageErrors: string[] = [];

  before(async () => {
    platform = await startPlatform();
    admin = await seed(platform.conf, []);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs in and lands on the page that was asked for', async () => {
    await page.goto(`${platform.app.url}/be/applications`);
    expect(new URL(page.url()).pathname).to.equal('/be/login');
    await page.fill('input[name="email"]', admin.email);
    await page.fill('input[name="password"]', admin.password);
    await Promise.all([page.waitForURL('**/be/applications'), page.click('button[type="submit"]')]);
    await page.waitForSelector('#create-application');
  });

  it('creates an application, shows its secret once, and the secret works on the web service', async () => {
    await page.fill('#create-application input[name="name"]', 'Campus LMS');
    await page.check('#create-application input[name="scopes"][value="publish"]');
    await page.click('#create-application button[type="submit"]');
    const clientSecret = (await page.textContent('[data-testid="client-secret"]'))!.trim();
    const clientId = (await page.textContent('[data-testid="client-id"]'))!.trim();
    expect(clientSecret).to.have.length.greaterThan(40);
    expect(await page.textContent('table')).to.contain('Campus LMS').and.to.contain(clientId);

    const issued = await request(`${platform.ws.url}/token`, {
      method: 'POST',
      headers: { Authorization: basic(clientId, clientSecret), 'Content-Type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(issued.status).to.equal(200);
    expect(issued.body.scope).to.equal('publish');
    const videos = await request(`${platform.ws.url}/publish/videos`, { headers: { Authorization: `Bearer ${issued.body.access_token}` } });
    expect(videos.status).to.equal(200);

    await page.reload();
    await page.waitForSelector('#create-application');
    expect(await page.$('[data-testid="client-secret"]')).to.equal(null);
    expect(await page.content()).to.not.contain(clientSecret);
  });

  it('creates a role and a user holding it through their pages', async () => {
    await page.goto(`${platform.app.url}/be/roles`);
    await page.waitForSelector('#create-role');
    await page.fill('#create-role input[name="name"]', 'editors');
    await page.check('#create-role input[name="permissions"][value="publish.manage"]');
    await page.click('#create-role button[type="submit"]');
    await page.waitForSelector('td:text("editors")');

    await page.goto(`${platform.app.url}/be/users`);
    await page.waitForSelector('#create-user');
    await page.fill('#create-user input[name="email"]', 'editor@example.test');
    await page.fill('#create-user input[name="password"]', 'an editor password');
    await page.check('#create-user input[name="roles"][value="editors"]');
    await page.click('#create-user button[type="submit"]');
    await page.waitForSelector('td:text("editor@example.test")');
    expect(await page.textContent('tbody')).to.contain('editors');
  });

  it('shows API errors in the page', async () => {
    await page.fill('#create-user input[name="email"]', 'editor@example.test');
    await page.fill('#create-user input[name="password"]', 'an editor password');
    await page.click('#create-user button[type="submit"]');
    await page.waitForSelector('[data-role="error"]:has-text("already exists")');
  });

  it('signs out', async () => {
    await Promise.all([page.waitForURL('**/be/login'), page.click('header button[type="submit"]')]);
    await page.goto(`${platform.app.url}/be/users`);
    expect(new URL(page.url()).pathname).to.equal('/be/login');
    expect(pageErrors.filter((e) => !/status of 40[0-9]/.test(e))).to.deep.equal([]);
  });
});
