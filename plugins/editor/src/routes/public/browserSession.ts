import type { Context, Next } from 'koa';
import { UnauthorizedError } from '@mediahost/core';
import type { BrowserSession, Sso } from '../../services/sso.js';

export const SESSION_COOKIE = 'wev_session';

/**
 * The editor is embedded in partners' pages: its cookie must travel in a third-party iframe, which browsers
 * allow only for SameSite=None; Secure, so over TLS. Plain http (development, tests) gets SameSite=Lax.
 */
export function setSessionCookie(ctx: Context, value: string, maxAgeMs: number, path: string): void {
  ctx.cookies.set(SESSION_COOKIE, value, { httpOnly: true, path, maxAge: maxAgeMs, signed: false, ...(ctx.secure ? { sameSite: 'none', secure: true } : { sameSite: 'lax' }) });
}

/** Lets the reference's `xhrFields: { withCredentials: true }` calls read the answer from the partner's page. */
export function allowCredentialedCors(ctx: Context): void {
  const origin = ctx.get('Origin');
  if (!origin) return;
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Allow-Credentials', 'true');
  ctx.vary('Origin');
}

export function requireSession(sso: Sso) {
  return async (ctx: Context, next: Next) => {
    const session = await sso.session(ctx.cookies.get(SESSION_COOKIE));
    if (!session) throw new UnauthorizedError('No editor session: log in through /api/3/sso/login/<token>', 'unauthorized');
    ctx.state.editorSession = session;
    await next();
  };
}

/** The session requireSession found; a route reached without it is a programming error. */
export function sessionOf(ctx: Context): BrowserSession {
  if (!ctx.state.editorSession) throw new Error('editor route reached without requireSession');
  return ctx.state.editorSession;
}
