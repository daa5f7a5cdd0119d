import { request, type JsonResponse } from './http.js';

/** A signed-in back-office browser session without a browser: cookie jar + CSRF token. */
export class BackOfficeSession {
  private constructor(
    readonly baseUrl: string,
    private cookie: string,
    readonly csrfToken: string,
  ) {}

  static async anonymous(baseUrl: string): Promise<{ cookie: string; csrfToken: string }> {
    const page = await fetch(`${baseUrl}/be/login`);
    const cookie = BackOfficeSession.cookiesOf(page.headers);
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    return { cookie, csrfToken };
  }

  static async signIn(baseUrl: string, email: string, password: string): Promise<BackOfficeSession> {
    const { cookie, csrfToken } = await BackOfficeSession.anonymous(baseUrl);
    const response = await fetch(`${baseUrl}/be/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password, _csrf: csrfToken }).toString(),
    });
    if (response.status !== 303) throw new Error(`sign-in failed with ${response.status}`);
    const signedIn = BackOfficeSession.cookiesOf(response.headers);
    const me = await request(`${baseUrl}/be/api/me`, { headers: { Cookie: signedIn } });
    return new BackOfficeSession(baseUrl, signedIn, me.body.csrfToken as string);
  }

  static cookiesOf(headers: Headers): string {
    return headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
  }

  api(method: string, path: string, body?: unknown, { csrf = true } = {}): Promise<JsonResponse> {
    return request(`${this.baseUrl}/be/api${path}`, {
      method,
      headers: {
        Cookie: this.cookie,
        ...(csrf ? { 'X-CSRF-Token': this.csrfToken } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** What the session's pages send with a state-changing request of their own (e.g. tus-js-client's). */
  headers(): Record<string, string> {
    return { Cookie: this.cookie, 'X-CSRF-Token': this.csrfToken };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<JsonResponse> {
    return request(`${this.baseUrl}${path}`, { headers: { Cookie: this.cookie, ...headers } });
  }
}
