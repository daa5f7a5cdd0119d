import { expect } from 'chai';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { request } from './support/http.js';
import { seed, startPlatform, type Platform } from './support/platform.js';

/** What Chromium sends when it navigates to a page. */
const BROWSER = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8' };

describe('back office: what a browser gets, and what API clients keep', () => {
  let platform: Platform;
  let admin: { email: string; password: string };
  before(async () => {
    platform = await startPlatform();
    admin = await seed(platform.conf, []);
  });
  after(async () => {
    await platform?.stop();
  });

  it('sends a browser without a session to the login page, with the page it asked for as return path', async () => {
    for (const path of ['/editor/hub', '/be/publish', '/be/publish/files?Page=2']) {
      const response = await request(`${platform.app.url}${path}`, { headers: BROWSER });
      expect(response.status, path).to.equal(302);
      expect(response.headers.get('location'), path).to.equal(`/be/login?next=${encodeURIComponent(path)}`);
    }
    const login = await request(`${platform.app.url}/be/login?next=${encodeURIComponent('/editor/hub')}`, { headers: BROWSER });
    expect(login.body).to.contain('name="next" value="/editor/hub"');
  });

  it('answers an unknown page with an HTML 404 page', async () => {
    for (const path of ['/be/live', '/be/nothing/here']) {
      const response = await request(`${platform.app.url}${path}`, { headers: BROWSER });
      expect(response.status, path).to.equal(404);
      expect(response.headers.get('content-type'), path).to.match(/^text\/html/);
      expect(response.body, path).to.contain('<!doctype html>').and.to.contain('Page not found');
    }
    // Below a plugin with back-office routes (the editor's "Open in editor"), a browser signs in first.
    const editor = await request(`${platform.app.url}/be/editor`, { headers: BROWSER });
    expect(editor.status).to.equal(302);
    expect(editor.headers.get('location')).to.equal('/be/login?next=%2Fbe%2Feditor');
    const signedIn = await BackOfficeSession.signIn(platform.app.url, admin.email, admin.password);
    for (const path of ['/be/live', '/be/editor']) {
      const page = await signedIn.get(path, BROWSER);
      expect(page.status, path).to.equal(404);
      expect(page.body, path).to.contain('Page not found').and.to.contain('Sign out');
    }
  });

  it('keeps JSON for API clients, the /be/api routes and the web service, whatever they accept', async () => {
    for (const accept of <Record<string, string>[]>[{}, { Accept: 'application/json' }, { Accept: '*/*' }, { Accept: 'application/json, text/html;q=0.5' }]) {
      const hub = await request(`${platform.app.url}/editor/hub`, { headers: accept });
      expect(hub.status, JSON.stringify(accept)).to.equal(401);
      expect(hub.body, JSON.stringify(accept)).to.be.an('object');
      const missing = await request(`${platform.app.url}/be/live`, { headers: accept });
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('not_found');
    }
    const api = await request(`${platform.app.url}/be/api/users`, { headers: BROWSER });
    expect(api.status).to.equal(401);
    expect(api.body.error.code).to.equal('unauthorized');
    const apiMissing = await request(`${platform.app.url}/be/api/nothing`, { headers: BROWSER });
    expect(apiMissing.status).to.equal(404);
    expect(apiMissing.body.error.code).to.equal('not_found');
    const ws = await request(`${platform.ws.url}/be/live`, { headers: BROWSER });
    expect(ws.status).to.equal(404);
    expect(ws.body.error.code).to.equal('not_found');
    const wsApi = await request(`${platform.ws.url}/publish/videos`, { headers: BROWSER });
    expect(wsApi.status).to.equal(401);
    expect(wsApi.body).to.be.an('object');
  });

  it('returns after sign-in only to a path of this host', async () => {
    const signIn = async (next: string) => {
      const { cookie, csrfToken } = await BackOfficeSession.anonymous(platform.app.url);
      const response = await fetch(`${platform.app.url}/be/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: admin.email, password: admin.password, _csrf: csrfToken, next }).toString(),
      });
      expect(response.status).to.equal(303);
      return response.headers.get('location');
    };
    expect(await signIn('/editor/hub')).to.equal('/editor/hub');
    expect(await signIn('/be/publish?x=1')).to.equal('/be/publish?x=1');
    for (const outside of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/\t/evil.example', 'be']) {
      expect(await signIn(outside), outside).to.equal('/be');
    }
  });

  it('links each plugin on the home page to its back-office page', async () => {
    const signedIn = await BackOfficeSession.signIn(platform.app.url, admin.email, admin.password);
    const home = await signedIn.get('/be', BROWSER);
    expect(home.status).to.equal(200);
    expect(home.body).to.contain('<a href="/be/publish">publish</a>');
    expect(home.body).to.match(/<li>live <small>/);
  });

  it('ships a favicon', async () => {
    const response = await fetch(`${platform.app.url}/favicon.ico`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('image/x-icon');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 4)], 'an ICO header').to.deep.equal([0, 0, 1, 0]);
  });
});
