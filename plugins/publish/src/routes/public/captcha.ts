import type { Context } from 'koa';
import { escapeHtml, Router, z, type PluginUrls } from '@mediahost/core';
import { BYPASS_TTL_SECONDS, type Captcha } from '../../services/captcha.js';
import { shell } from './playerPage.js';

export const BYPASS_COOKIE = 'captcha_bypass';
const uuid = z.uuid();
/** The widget runs its proof of work in blob workers and styles itself inline. */
const CAPTCHA_CSP = "default-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";

/**
 * VideoCMS's GET /captcha/challenge and POST /captcha/verify, for a player that asks for a captcha: the page shows
 * the altcha widget for the video ?uuid=, and a solved one sets the captcha_bypass cookie and goes back to the player.
 * Without ?uuid, GET /captcha/challenge answers a challenge as JSON, for an API client's login (ours: VideoCMS
 * redirects to / there).
 */
export function captchaRoutes({ captcha, urls }: { captcha: Captcha; urls: PluginUrls }): Router {
  const router = new Router({ prefix: '/captcha' });
  const page = async (ctx: Context, video: string, error = '') => {
    const challenge = JSON.stringify(await captcha.challenge());
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', CAPTCHA_CSP);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = shell(
      'Are you human?',
      `<h1>Are you human?</h1>${error ? `<p role="alert" data-role="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(urls.public('/captcha/verify'))}">
  <input type="hidden" name="uuid" value="${escapeHtml(video)}">
  <altcha-widget name="altcha" challenge="${escapeHtml(challenge)}"></altcha-widget>
  <p><button type="submit">Continue to the video</button></p>
</form>`,
      `<script type="module" src="${escapeHtml(urls.public('/assets/captcha.js'))}"></script>`,
    );
  };

  router.get('/challenge', async (ctx) => {
    const video = uuid.safeParse(ctx.query.uuid);
    if (ctx.query.uuid === undefined) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await captcha.challenge();
      return;
    }
    if (!video.success) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = shell('Bad request', '<h1>This link does not lead to a video.</h1>');
      return;
    }
    await page(ctx, video.data);
  });

  router.post('/verify', async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const video = uuid.safeParse(body.uuid);
    if (!video.success) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = shell('Bad request', '<h1>This link does not lead to a video.</h1>');
      return;
    }
    if (!(await captcha.verify(body.altcha))) {
      ctx.status = 400;
      await page(ctx, video.data, 'Captcha verification failed. Please try again.');
      return;
    }
    ctx.cookies.set(BYPASS_COOKIE, await captcha.issueBypass(), { path: urls.public(), httpOnly: true, sameSite: 'lax', maxAge: BYPASS_TTL_SECONDS * 1000, overwrite: true });
    ctx.status = 303;
    ctx.redirect(urls.public(`/v/${video.data}`));
  });
  return router;
}
