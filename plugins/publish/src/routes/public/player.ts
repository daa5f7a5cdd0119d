import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Router, type Model, type PluginUrls } from '@mediahost/core';
import type { FileDoc } from '../../models/file.js';
import { MEDIA_COOKIE, type MediaCookie } from '../../services/mediaCookie.js';
import type { Captcha } from '../../services/captcha.js';
import { BYPASS_COOKIE } from './captcha.js';
import { playerPage, statusPage } from './playerPage.js';

const require = createRequire(import.meta.url);
const ASSETS: Record<string, { file: string; type: string }> = {
  'hls.min.js': { file: require.resolve('hls.js/dist/hls.min.js'), type: 'text/javascript; charset=utf-8' },
  'player.js': { file: fileURLToPath(new URL('../../browser/player.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
  'captcha.js': { file: fileURLToPath(new URL('../../browser/captcha.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
};

interface PlayerDeps {
  files: Model<FileDoc>;
  cookie: MediaCookie;
  urls: PluginUrls;
  /** Whether the owner's videos ask viewers for a captcha first (platform settings, the owner's EnablePlayerCaptcha). */
  captchaRequired: (owner: string) => Promise<boolean>;
  captcha: Captcha;
}

/** GET v/:uuid, the player page: it sets the vc_media cookie that opens the file's media, once any captcha asked for is solved. */
export function playerRoutes({ files, cookie, urls, captchaRequired, captcha }: PlayerDeps): Router {
  const router = new Router();

  router.get('/assets/:name', async (ctx) => {
    const asset = ASSETS[ctx.params.name!];
    if (!asset) return;
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = await readFile(asset.file);
  });

  router.get('/v/:uuid', async (ctx) => {
    const uuid = ctx.params.uuid!;
    const file = /^[0-9a-f-]{36}$/.test(uuid) ? await files.findById(uuid).lean<FileDoc>() : null;
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors *");
    if (!file) {
      ctx.status = 404;
      ctx.body = statusPage('Video not found', 'This link does not lead to a video.', false);
      return;
    }
    if ((await captchaRequired(file.owner)) && !(await captcha.bypassValid(ctx.cookies.get(BYPASS_COOKIE)))) {
      ctx.status = 303;
      ctx.redirect(urls.public(`/captcha/challenge?uuid=${file._id}`));
      return;
    }
    if (file.status !== 'ready') {
      const failed = file.status === 'failed';
      ctx.body = statusPage(file.name, failed ? 'This video could not be processed.' : `This video is being processed (${file.encoding.progress} %).`, !failed);
      return;
    }
    ctx.cookies.set(MEDIA_COOKIE, cookie.issue(file._id), {
      path: urls.public(`/${file._id}`),
      httpOnly: true,
      sameSite: 'lax',
      maxAge: cookie.ttlSeconds * 1000,
      overwrite: true,
    });
    await files.updateOne({ _id: file._id }, { $inc: { views: 1 } });
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = playerPage(file, urls);
  });
  return router;
}
