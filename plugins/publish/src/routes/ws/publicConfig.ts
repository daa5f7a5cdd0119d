import { Router } from '@mediahost/core';
import type { PublishConfig } from '../../config.js';

/**
 * VideoCMS's public /api/config and /api/file/example. Media is served by the back office below /publish (VideoCMS's
 * FolderVideoQualitys), so BaseUrl is the back office's. We have no captcha, chunk or session limit of VideoCMS's kind:
 * the captcha switches are off, a tus PATCH may carry the whole file, and sessions are bounded by the quota instead (0).
 */
export function publicConfigRoutes(config: PublishConfig, backOfficeUrl: string): Router {
  const router = new Router({ prefix: '/api' });
  router.get('/config', (ctx) => {
    ctx.body = {
      AppName: 'mediahost',
      BaseUrl: backOfficeUrl,
      EncodingEnabled: true,
      UploadEnabled: true,
      MaxUploadFilesize: config.maxUploadBytes,
      MaxUploadChunkSize: config.maxUploadBytes,
      MaxUploadSessions: 0,
      FolderVideoQualitys: '/publish',
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
