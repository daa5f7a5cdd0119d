import { Router, type PluginUrls } from '@mediahost/core';
import type { PublishConfig } from '../../config.js';

/**
 * VideoCMS's public /api/config and /api/file/example. Media is served on the back office's port below the plugin's public prefix (VideoCMS's
 * FolderVideoQualitys), so BaseUrl is the back office's. We have no captcha, chunk or session limit of VideoCMS's kind:
 * the captcha switches are off, a tus PATCH may carry the whole file, and sessions are bounded by the quota instead (0).
 */
export function publicConfigRoutes({ config, urls }: { config: PublishConfig; urls: PluginUrls }): Router {
  const router = new Router({ prefix: '/api' });
  router.get('/config', (ctx) => {
    ctx.body = {
      AppName: 'mediahost',
      BaseUrl: urls.absolute.site,
      EncodingEnabled: true,
      UploadEnabled: true,
      MaxUploadFilesize: config.maxUploadBytes,
      MaxUploadChunkSize: config.maxUploadBytes,
      MaxUploadSessions: 0,
      FolderVideoQualitys: urls.public(),
      CaptchaEnabled: false,
      CaptchaLoginEnabled: false,
      CaptchaPlayerEnabled: false,
      CaptchaType: '',
      Captcha_Recaptcha_PublicKey: '',
      Captcha_Hcaptcha_PublicKey: '',
      Captcha_Turnstile_PublicKey: '',
      ContinueWatchingPopupEnabled: false,
      DownloadEnabled: true,
      RemoteDownloadEnabled: config.remoteDownloads.enabled,
      PlayerV2Enabled: true,
    };
  });
  router.get('/file/example', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = config.exampleVideo;
  });
  return router;
}
