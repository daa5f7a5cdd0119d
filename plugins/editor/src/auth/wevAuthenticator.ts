import { createHash } from 'node:crypto';
import type { Authenticator } from '@mediahost/core';
import { redactUrl, UnauthorizedError, type PluginAuth } from '@mediahost/core';
import { rawBodyOf } from './rawBody.js';
import { parseSignedDate } from './signedDate.js';
import { wevErrorFormat } from './wevErrors.js';
import { parseWevAuthorization, signaturesMatch, wevSignature } from './wevSignature.js';

/** Every failure says the same thing: which check failed is for the log, not for the caller. */
const refused = () => new UnauthorizedError('Invalid credentials', 'unauthorized');

/** Content-MD5 is base64 by RFC 1864; WeVideo's recipes use hex, so both are accepted. */
function md5Matches(body: Buffer, declared: string): boolean {
  const digest = createHash('md5').update(body).digest();
  return declared.trim() === digest.toString('hex') || declared.trim() === digest.toString('base64');
}

/**
 * Reads change nothing when replayed, and a client polling a URL twice within one second of Date signs two identical
 * requests, so only the methods that change something are refused a second time.
 */
const REPEATABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * WeVideo's two server-to-server schemes, on the core's applications (API key = client id):
 * `WEVSIMPLE <secret>`, and `WEV <apiKey>:<signature>` over method, body MD5, Date and full URL,
 * with the Date within the replay window and a changing request's signature accepted once
 * (`firstUse` records it across processes and answers false when it was already seen).
 */
export function wevAuthenticator(
  auth: PluginAuth,
  windowSeconds: number,
  firstUse: (signatureKey: string) => Promise<boolean>,
  log: (message: string, meta: object) => void,
): Authenticator {
  return async (ctx) => {
    ctx.state.errorFormat = wevErrorFormat;
    const credentials = parseWevAuthorization(ctx.get('Authorization'));
    if (!credentials) return undefined;
    if (credentials.scheme === 'WEVSIMPLE') {
      const principal = await auth.applicationBySecret(credentials.secret, 'wevsimple');
      if (!principal) throw refused();
      await rawBodyOf(ctx);
      return principal;
    }
    const date = ctx.get('Date');
    const at = parseSignedDate(date);
    if (!date || Number.isNaN(at) || Math.abs(Date.now() - at) > windowSeconds * 1000) {
      log('WEV request refused: Date missing or outside the window', { date, apiKey: credentials.apiKey });
      throw refused();
    }
    const found = await auth.applicationSigningSecret(credentials.apiKey, 'wev');
    if (!found) {
      log('WEV request refused: unknown API key or no sealed secret', { apiKey: credentials.apiKey });
      throw refused();
    }
    const body = await rawBodyOf(ctx);
    const declaredMd5 = ctx.get('Content-MD5');
    if (declaredMd5 && !md5Matches(body, declaredMd5)) {
      log('WEV request refused: body does not match its Content-MD5', { apiKey: credentials.apiKey });
      throw refused();
    }
    const url = `${ctx.protocol}://${ctx.host}${ctx.originalUrl}`;
    const expected = wevSignature(found.secret, ctx.method, body, date, url);
    if (!signaturesMatch(expected, credentials.signature)) {
      log('WEV request refused: signature mismatch (body, Date, method or URL differ from what was signed)', { apiKey: credentials.apiKey, url: redactUrl(url) });
      throw refused();
    }
    const signatureKey = createHash('sha256').update(`${credentials.apiKey}:${credentials.signature}`).digest('hex');
    if (!REPEATABLE_METHODS.has(ctx.method) && !(await firstUse(signatureKey))) {
      log('WEV request refused: replay of a signed request already accepted', { apiKey: credentials.apiKey, method: ctx.method });
      throw refused();
    }
    return found.principal;
  };
}
