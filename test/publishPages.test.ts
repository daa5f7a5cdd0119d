import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { request } from './support/http.js';
import { runServerJs } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';

const PASSWORD = 'correct horse battery';

/** Each of these would set window.__xss (or open a dialog) if a browser ran it. */
const ATTACKS = [
  '<script>window.__xss = "script"</script>',
  '<img src="x" onerror="window.__xss = \'onerror\'">',
  '<svg onload="window.__xss = \'svg\'"><circle r="1"/></svg>',
  '<a id="bad-link" href="javascript:window.__xss = \'href\'">click me</a>',
  '<iframe srcdoc="<script>parent.__xss = \'iframe\'</script>"></iframe>',
  '<details open ontoggle="window.__xss = \'toggle\'"><summary>s</summary></details>',
  '<form action="javascript:window.__xss = \'form\'"><button id="bad-button">go</button></form>',
  '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
  '<object data="data:text/html,<script>parent.__xss = 1</script>"></object>',
];
const CONTENT = '<h1>About us</h1><p>We host <strong>videos</strong>. <a href="https://example.test/help">Help</a></p><img src="https://example.test/logo.png" alt="logo">';

describe('publish: VideoCMS pages, stored sanitized so that stored script cannot run', () => {
  let platform: PublishPlatform;
  let admin: Record<string, string>;
  let browser: Browser;
  const page = (method: string, body?: unknown, as = admin) => platform.call(method, '/page', body, as);

  before(async () => {
    platform = await startPublishPlatform({}, {}, ['publish']);
    const created = await runServerJs(['--create-user', 'root@example.test', '--password-stdin', '--role', 'admin'], { conf: platform.conf, stdin: `${PASSWORD}\n` });
    if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    const logged = await platform.call('POST', '/auth/login', { username: 'root@example.test', password: PASSWORD }, {});
    admin = { Authorization: `Bearer ${logged.body.token as string}` };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('creates, lists, updates and deletes pages with VideoCMS shapes, the HTML sanitized on the way in', async () => {
    const created = await page('POST', { Path: 'about', Title: 'About', Html: CONTENT + ATTACKS.join(''), ListInFooter: true });
    expect(created.status).to.equal(200);
    const [stored] = (await platform.call('GET', '/pages', undefined, admin)).body;
    expect(stored).to.include({ Path: 'about/', Title: 'About', ListInFooter: true, DeletedAt: null });
    expect(stored.ID).to.be.a('number');
    expect(stored.Html).to.contain('<h1>About us</h1>').and.contain('href="https://example.test/help"').and.contain('src="https://example.test/logo.png"');
    expect(stored.Html).to.not.match(/<script|onerror|onload|ontoggle|javascript:|<iframe|<object|<form|srcdoc/i);

    expect((await platform.call('GET', '/p/pages', undefined, {})).body).to.deep.equal([{ Path: 'about/', Title: 'About', ListInFooter: true }]);
    const publicPage = await request(`${platform.ws.url}/publish/api/p/page?Path=about/`);
    expect(publicPage.status).to.equal(200);
    expect(publicPage.headers.get('content-type')).to.match(/^text\/plain/);
    expect(publicPage.headers.get('content-security-policy')).to.contain('sandbox');
    expect(publicPage.body).to.equal(stored.Html);

    expect((await page('POST', { Path: 'about/', Title: 'Again', Html: '', ListInFooter: false })).status, 'a taken path').to.equal(400);
    expect((await page('PUT', { WebPageID: stored.ID, Path: 'about', Title: 'About us', Html: '<p onclick="x()">Hi</p>', ListInFooter: false })).status).to.equal(200);
    const updated = (await platform.call('GET', '/pages', undefined, admin)).body[0];
    expect(updated).to.include({ Title: 'About us', Html: '<p>Hi</p>', ListInFooter: false });

    const other = await page('POST', { Path: 'terms', Title: 'Terms', Html: '<p>Be nice.</p>', ListInFooter: true });
    expect(other.status).to.equal(200);
    const terms = (await platform.call('GET', '/pages', undefined, admin)).body.find((p: { Path: string }) => p.Path === 'terms/');
    expect((await page('DELETE', { WebPageID: terms.ID })).status).to.equal(200);
    expect((await page('DELETE', { WebPageID: terms.ID })).status).to.equal(404);
    expect((await request(`${platform.ws.url}/publish/api/p/page?Path=terms/`)).status).to.equal(404);
  });

  it('refuses bad input with a JSON 400 and anyone but an admin with 403', async () => {
    for (const [body, why] of [
      [{ Path: 'a', Title: 'Short path', Html: '', ListInFooter: true }, 'a path too short'],
      [{ Path: '../etc', Title: 'Dots', Html: '', ListInFooter: true }, 'a path with dots'],
      [{ Path: 'big', Title: 'Big', Html: 'x'.repeat(50_001), ListInFooter: true }, 'HTML too long'],
      [{ Path: 'nofooter', Title: 'No footer', Html: '' }, 'ListInFooter missing'],
    ] as const) {
      const refused = await page('POST', body);
      expect(refused.status, why).to.equal(400);
      expect(refused.body.error.message, why).to.be.a('string');
    }
    expect((await page('PUT', { WebPageID: 999, Path: 'nope', Title: 'Nope', Html: '', ListInFooter: true })).status).to.equal(404);
    expect((await platform.call('GET', '/pages', undefined, platform.auth)).status, 'an application').to.equal(403);
    expect((await page('POST', { Path: 'evil', Title: 'Evil', Html: '', ListInFooter: true }, platform.auth)).status).to.equal(403);
  });

  it('runs none of the stored markup in Chromium: not in the page view, not where a front end sets it as innerHTML', async () => {
    await page('PUT', { WebPageID: (await platform.call('GET', '/pages', undefined, admin)).body[0].ID, Path: 'about', Title: 'About', Html: CONTENT + ATTACKS.join(''), ListInFooter: true });
    const stored = (await request(`${platform.ws.url}/publish/api/p/page?Path=about/`)).body as string;
    const dialogs: string[] = [];

    const view = await browser.newPage();
    view.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const response = await view.goto(`${platform.app.url}/publish/page/about/`);
    expect(response!.status()).to.equal(200);
    expect(await view.textContent('h1')).to.equal('About us');
    expect(await view.getAttribute('a[href="https://example.test/help"]', 'rel')).to.contain('noopener');
    for (const selector of ['a:text("click me")', 'a:text("mixed case")']) await view.click(selector, { timeout: 1000 }).catch(() => undefined);
    await view.waitForTimeout(300);
    expect(await view.evaluate(() => (window as { __xss?: unknown }).__xss)).to.equal(undefined);

    // VideoCMS's front end shows a page with v-html: the stored text set as innerHTML, here with no CSP to help.
    const frontEnd = await browser.newPage();
    frontEnd.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await frontEnd.setContent('<!doctype html><main id="page"></main>');
    const ranRaw = await frontEnd.evaluate(async (html) => {
      const probe = document.createElement('div');
      probe.innerHTML = html;
      document.body.append(probe);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (window as { __xss?: unknown }).__xss;
    }, ATTACKS[1]!);
    expect(ranRaw, 'the probe itself runs an unsanitized attack, so the check below can see one').to.equal('onerror');
    await frontEnd.evaluate(() => delete (window as { __xss?: unknown }).__xss);
    await frontEnd.evaluate((html) => {
      document.getElementById('page')!.innerHTML = html;
    }, stored);
    for (const selector of ['#page a:text("click me")', '#page details summary']) await frontEnd.click(selector, { timeout: 1000 }).catch(() => undefined);
    await frontEnd.waitForTimeout(300);
    expect(await frontEnd.evaluate(() => (window as { __xss?: unknown }).__xss)).to.equal(undefined);
    expect(await frontEnd.textContent('#page h1')).to.equal('About us');
    expect(dialogs).to.deep.equal([]);
  });
});
