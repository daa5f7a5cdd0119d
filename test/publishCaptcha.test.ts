import { expect } from 'chai';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { makeSample } from './support/media.js';
import { runServerJs } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tusUpload } from './support/tusUpload.js';

const PASSWORD = 'correct horse battery';
const CAPTCHA_AFTER_FAILURES = 2;
const MAX_FAILURES = 6;

/** ALTCHA's captcha where VideoCMS asks for one: the API login (after failures) and the player, when the admin turns them on. */
describe('publish: the captcha on login and before the player', () => {
  let platform: PublishPlatform;
  let admin: Record<string, string>;
  let video: string;
  let browser: Browser;

  /** What a browser's widget posts: the challenge and its solution, base64 JSON. */
  const solved = async () => {
    const challenge = (await (await fetch(`${platform.app.url}/publish/captcha/challenge`)).json()) as Challenge;
    const solution = await solveChallenge({ challenge, deriveKey });
    return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
  };
  const login = (body: Record<string, unknown>) => platform.call('POST', '/auth/login', { username: 'root@example.test', password: PASSWORD, ...body }, {});
  const verify = (body: Record<string, string>) =>
    fetch(`${platform.app.url}/publish/captcha/verify`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });

  before(async () => {
    platform = await startPublishPlatform(
      { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', apiLogin: { captchaAfterFailures: CAPTCHA_AFTER_FAILURES, maxFailures: MAX_FAILURES } },
      {},
      ['publish'],
    );
    for (const [email, role] of [['root@example.test', ['--role', 'admin']], ['other@example.test', []]] as const) {
      const created = await runServerJs(['--create-user', email, '--password-stdin', ...role], { conf: platform.conf, stdin: `${PASSWORD}\n` });
      if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    }
    admin = { Authorization: `Bearer ${(await login({})).body.token as string}` };
    const sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240 }));
    const url = await tusUpload(sample, { endpoint: `${platform.ws.url}/publish/api/uploads`, headers: admin, metadata: { filename: 'talk.mkv' } }).done;
    video = (await platform.call('POST', `/uploads/${url.split('/').pop()}/finalize`, undefined, admin)).body.UUID as string;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('asks nothing while the captcha is off', async () => {
    expect((await login({})).status).to.equal(200);
    expect((await fetch(`${platform.app.url}/publish/v/${video}`, { redirect: 'manual' })).status).to.equal(200);
  });

  it('asks a login for a solved challenge only after failures of its account or address, each solution once, the throttle still behind', async () => {
    expect((await platform.call('PUT', '/settings', { CaptchaEnabled: 'true', CaptchaLoginEnabled: 'true' }, admin)).status).to.equal(200);
    expect((await platform.call('GET', '/config', undefined, {})).body).to.include({ CaptchaEnabled: true, CaptchaLoginEnabled: true, CaptchaType: 'altcha' });
    expect((await login({})).status, 'no failure yet: no captcha asked').to.equal(200);

    for (let failure = 1; failure <= CAPTCHA_AFTER_FAILURES; failure++) {
      const wrong = await login({ password: 'wrong password!' });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error.message, `failure ${failure} is told as such, not as a captcha`).to.equal('Wrong username or password');
    }
    const asked = await login({});
    expect(asked.status, 'the right password, but the account failed twice').to.equal(400);
    expect(asked.body.error.message).to.equal('Captcha incorrect');
    const payload = await solved();
    expect((await login({ altcha: payload })).status).to.equal(200);
    expect((await login({ altcha: payload })).status, 'the same solution again').to.equal(400);
    // The success cleared the account's failures, not the address's: another account from here is asked too.
    const other = await platform.call('POST', '/auth/login', { username: 'other@example.test', password: PASSWORD }, {});
    expect(other.status).to.equal(400);
    expect(other.body.error.message).to.equal('Captcha incorrect');
    expect((await platform.call('POST', '/auth/login', { username: 'other@example.test', password: PASSWORD, altcha: await solved() }, {})).status).to.equal(200);

    const tampered = JSON.parse(Buffer.from(await solved(), 'base64').toString());
    tampered.solution.counter += 1;
    expect((await login({ altcha: Buffer.from(JSON.stringify(tampered)).toString('base64') })).status, 'a wrong solution').to.equal(400);
    expect((await login({ altcha: 'not a payload' })).status).to.equal(400);
    const wrongWithCaptcha = await login({ altcha: await solved(), password: 'wrong password!' });
    expect(wrongWithCaptcha.status, 'a solved captcha does not open a wrong password').to.equal(400);
    expect(wrongWithCaptcha.body.error.message).to.equal('Wrong username or password');
    // Solved captchas do not lift the throttle: past maxFailures the address is refused with 429 whatever it sends.
    let refused = await login({ altcha: await solved(), password: 'wrong password!' });
    for (let tries = 0; refused.status !== 429 && tries < MAX_FAILURES; tries++) refused = await login({ altcha: await solved(), password: 'wrong password!' });
    expect(refused.status).to.equal(429);
    expect((await login({ altcha: await solved() })).status, 'the right password too, while throttled').to.equal(429);
    await platform.call('PUT', '/settings', { CaptchaLoginEnabled: 'false' }, admin);
  });

  it('sends a viewer to the challenge before the player, and back with a bypass cookie once solved', async () => {
    await platform.call('PUT', '/settings', { CaptchaPlayerEnabled: 'true' }, admin);
    const gated = await fetch(`${platform.app.url}/publish/v/${video}`, { redirect: 'manual' });
    expect(gated.status).to.equal(303);
    expect(gated.headers.get('location')).to.equal(`/publish/captcha/challenge?uuid=${video}`);
    const page = await fetch(`${platform.app.url}/publish/captcha/challenge?uuid=${video}`);
    expect(await page.text()).to.contain('<altcha-widget');

    expect((await verify({ uuid: video, altcha: 'nothing solved' })).status).to.equal(400);
    expect((await verify({ uuid: 'not-a-uuid', altcha: await solved() })).status).to.equal(400);
    const passed = await verify({ uuid: video, altcha: await solved() });
    expect(passed.status).to.equal(303);
    expect(passed.headers.get('location')).to.equal(`/publish/v/${video}`);
    const bypass = passed.headers.getSetCookie().find((c) => c.startsWith('captcha_bypass='))!;
    expect(bypass).to.match(/httponly/i);
    const player = await fetch(`${platform.app.url}/publish/v/${video}`, { redirect: 'manual', headers: { Cookie: bypass.split(';')[0]! } });
    expect(player.status).to.equal(200);
    expect((await fetch(`${platform.app.url}/publish/v/${video}`, { redirect: 'manual', headers: { Cookie: 'captcha_bypass=forged' } })).status).to.equal(303);
  });

  it('is solved by the altcha widget in Chromium, which then reaches the player', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${platform.app.url}/publish/v/${video}`);
    expect(page.url()).to.contain('/publish/captcha/challenge');
    // The widget draws its own check mark over the box: a click on the box itself, as a user's lands on what is drawn.
    await page.locator('altcha-widget input[type="checkbox"]').dispatchEvent('click');
    await page.waitForFunction(() => !!document.querySelector<HTMLInputElement>('altcha-widget input[name="altcha"]')?.value, undefined, { timeout: 30_000 });
    if (process.env.MEDIAHOST_SCREENSHOTS) await page.screenshot({ path: `${process.env.MEDIAHOST_SCREENSHOTS}/captcha.png` });
    await Promise.all([page.waitForURL(`**/publish/v/${video}`), page.click('button[type="submit"]')]);
    expect(await page.title()).to.equal('talk.mkv');
    expect(errors).to.deep.equal([]);
    await platform.call('PUT', '/settings', { CaptchaEnabled: 'false', CaptchaPlayerEnabled: 'false' }, admin);
  });
});
