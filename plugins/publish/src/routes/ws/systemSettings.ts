import { BadRequestError, describedRouter, parseInput, z, type ApiDescription, type Model, type PluginAuth, type PluginUrls, type Router } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { PublishConfig } from '../../config.js';
import { SYSTEM_SETTINGS_ID, type SystemSettingsDoc } from '../../models/systemSettings.js';
import type { AccountLimits } from '../../services/accountLimits.js';
import { OK_TEXT, systemSettingsSchema } from './videocmsSchemas.js';

/** VideoCMS writes its booleans as the strings "true" and "false" (and takes "1" and "0"). */
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]);
const bytes = z.union([z.number(), z.string().regex(/^\d+$/, 'must be a whole number').transform(Number)]).pipe(z.number().int().min(1));

/**
 * The fields of VideoCMS's Setting we apply; the others it sends back (JwtSecretKey, rate limits, CDN switches,
 * encoder ladder…) have no meaning here or live in the configuration files, and are ignored (docs/videocms-notes.md).
 */
const settingsInput = z.object({
  AppName: z.string().trim().min(1).max(120).optional(),
  ProjectExampleVideo: z.string().trim().max(512).optional(),
  UploadEnabled: flag.optional(),
  RemoteDownloadEnabled: flag.optional(),
  MaxUploadFilesize: bytes.optional(),
  CaptchaEnabled: flag.optional(),
  CaptchaLoginEnabled: flag.optional(),
  CaptchaPlayerEnabled: flag.optional(),
});

/** The platform settings as VideoCMS's GET /api/settings shows them: strings, one row with ID 1; never a secret. */
export function settingsJson(settings: SystemSettingsDoc, config: PublishConfig, urls: PluginUrls) {
  const text = (value: boolean) => String(value);
  return {
    ID: 1,
    CreatedAt: settings.createdAt ?? null,
    UpdatedAt: settings.updatedAt ?? null,
    DeletedAt: null,
    AppName: settings.appName ?? 'mediahost',
    BaseUrl: urls.absolute.site,
    ProjectExampleVideo: settings.exampleVideo ?? config.exampleVideo,
    EncodingEnabled: 'true',
    UploadEnabled: text(settings.uploadEnabled ?? true),
    MaxUploadFilesize: String(Math.min(settings.maxUploadBytes ?? Infinity, config.maxUploadBytes)),
    RemoteDownloadEnabled: text(config.remoteDownloads.enabled && settings.remoteDownloadEnabled !== false),
    CaptchaEnabled: text(settings.captchaEnabled ?? false),
    CaptchaLoginEnabled: text(settings.captchaLoginEnabled ?? false),
    CaptchaPlayerEnabled: text(settings.captchaPlayerEnabled ?? false),
    CaptchaType: settings.captchaEnabled ? 'altcha' : '',
  };
}

/** VideoCMS's admin GET and PUT /api/settings over the one platform-settings document. */
export function systemSettingsRoutes({ settings, limits, config, urls, auth, api }: { settings: Model<SystemSettingsDoc>; limits: AccountLimits; config: PublishConfig; urls: PluginUrls; auth: PluginAuth; api?: ApiDescription }): Router {
  const { router, route } = describedRouter('/api/settings', api);
  router.use(requireAdmin(auth));
  route({ method: 'get', path: '/', summary: 'The platform settings (admin)', responses: { 200: { description: 'The settings', schema: systemSettingsSchema } } }, async (ctx) => {
    ctx.body = settingsJson(await limits.systemSettings(), config, urls);
  });
  route({ method: 'put', path: '/', summary: 'Changes the platform settings (admin); fields of VideoCMS not listed are ignored', body: settingsInput.loose(), responses: { 200: OK_TEXT } }, async (ctx) => {
    const input = parseInput(settingsInput, ctx.request.body ?? {});
    if (input.MaxUploadFilesize !== undefined && input.MaxUploadFilesize > config.maxUploadBytes) {
      throw new BadRequestError(`MaxUploadFilesize: at most ${config.maxUploadBytes} bytes (maxUploadBytes in the configuration)`);
    }
    const set = Object.fromEntries(
      Object.entries({
        appName: input.AppName,
        exampleVideo: input.ProjectExampleVideo,
        uploadEnabled: input.UploadEnabled,
        remoteDownloadEnabled: input.RemoteDownloadEnabled,
        maxUploadBytes: input.MaxUploadFilesize,
        captchaEnabled: input.CaptchaEnabled,
        captchaLoginEnabled: input.CaptchaLoginEnabled,
        captchaPlayerEnabled: input.CaptchaPlayerEnabled,
      }).filter(([, value]) => value !== undefined),
    );
    await settings.updateOne({ _id: SYSTEM_SETTINGS_ID }, { $set: set }, { upsert: true });
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  });
  return router;
}
