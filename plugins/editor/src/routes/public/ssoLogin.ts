import { Router, type PluginUrls } from '@mediahost/core';
import type { Sso } from '../../services/sso.js';
import { allowCredentialedCors, setSessionCookie } from './browserSession.js';

/** GET /api/3/sso/login/:token from the user's browser: opens the session, and with target=editor goes to the editor. */
export function ssoLoginRoutes({ sso, sessionMs, urls }: { sso: Sso; sessionMs: number; urls: PluginUrls }): Router {
  return new Router().get('/api/3/sso/login/:token', async (ctx) => {
    allowCredentialedCors(ctx);
    const { cookie } = await sso.login(ctx.params.token!);
    setSessionCookie(ctx, cookie, sessionMs, urls.public());
    ctx.set('Cache-Control', 'no-store');
    if (ctx.query.target === 'editor') return ctx.redirect(urls.public('/api/3/editor'));
    if (ctx.query.target === 'hub') return ctx.redirect(urls.public('/hub'));
    ctx.body = { success: true };
  });
}
