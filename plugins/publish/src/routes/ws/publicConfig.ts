import { describedRouter, z, type ApiDescription, type PluginUrls, type Router } from '@mediahost/core';
import type { PublishConfig } from '../../config.js';
import type { AccountLimits } from '../../services/accountLimits.js';
import { settingsJson } from './systemSettings.js';
import { publicConfigSchema } from './videocmsSchemas.js';

/**
 * VideoCMS's public /api/config and /api/file/example, from the configuration and the admin's platform settings. Media
 * is served on the back office's port below the plugin's public prefix (VideoCMS's FolderVideoQualitys), so BaseUrl is
 * the back office's. We have no chunk or session limit of VideoCMS's kind: a tus PATCH may carry the whole file, and
 * sessions are bounded by the quota instead (0).
 */
export function publicConfigRoutes({ config, urls, limits, api }: { config: PublishConfig; urls: PluginUrls; limits: AccountLimits; api: ApiDescription }): Router {
  const { router, route } = describedRouter('/api', api);
  route({ method: 'get', path: '/config', summary: "The platform's public settings", security: [], responses: { 200: { description: 'The settings', schema: publicConfigSchema } } }, async (ctx) => {
    const settings = settingsJson(await limits.systemSettings(), config, urls);
    const on = (value: string) => value === 'true';
    ctx.body = {
      AppName: settings.AppName,
      BaseUrl: settings.BaseUrl,
      EncodingEnabled: true,
      UploadEnabled: on(settings.UploadEnabled),
      MaxUploadFilesize: Number(settings.MaxUploadFilesize),
      MaxUploadChunkSize: Number(settings.MaxUploadFilesize),
      MaxUploadSessions: 0,
      FolderVideoQualitys: urls.public(),
      CaptchaEnabled: on(settings.CaptchaEnabled),
      CaptchaLoginEnabled: on(settings.CaptchaLoginEnabled),
      CaptchaPlayerEnabled: on(settings.CaptchaPlayerEnabled),
      CaptchaType: settings.CaptchaType,
      Captcha_Recaptcha_PublicKey: '',
      Captcha_Hcaptcha_PublicKey: '',
      Captcha_Turnstile_PublicKey: '',
      ContinueWatchingPopupEnabled: false,
      DownloadEnabled: true,
      RemoteDownloadEnabled: on(settings.RemoteDownloadEnabled),
      PlayerV2Enabled: true,
    };
  });
  route({ method: 'get', path: '/file/example', summary: 'The example video of the projects page', security: [], responses: { 200: { description: 'Its URL', schema: z.string(), contentType: 'text/plain' } } }, async (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = settingsJson(await limits.systemSettings(), config, urls).ProjectExampleVideo;
  });
  return router;
}
