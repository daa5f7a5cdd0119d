/** Query parameters whose value is a credential, compared without case and without `_`/`-`. */
const SECRET_PARAMS = /^(token|accesstoken|apikey|key|secret|clientsecret|password|pass|pwd|signature|sig|auth|authorization|code|session|sessionid)$/;

const REDACTED = 'REDACTED';

/**
 * A URL fit for a log: userinfo (`https://user:PASS@host`) and the values of credential-like query parameters are
 * replaced; the rest stays readable for diagnosis. Works on absolute URLs and on request paths (`/a?token=x`).
 */
export function redactUrl(value: string): string {
  const relative = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(value, 'http://relative.invalid');
  } catch {
    return value.replace(/\/\/[^/@\s]*@/, `//${REDACTED}@`);
  }
  if (url.username || url.password) {
    url.username = REDACTED;
    url.password = '';
  }
  for (const name of [...new Set(url.searchParams.keys())]) {
    if (SECRET_PARAMS.test(name.toLowerCase().replace(/[-_]/g, ''))) url.searchParams.set(name, REDACTED);
  }
  return relative ? `${url.pathname}${url.search}${url.hash}` : url.href;
}
