import type { Context } from 'koa';
import { BadRequestError, describedRouter, ForbiddenError, z, type ApiDescription, type Model, type PluginAuth, type Router } from '@mediahost/core';
import { API_KEY_SCHEME, userIdOf } from '../../auth/userAuthenticator.js';
import type { AccountSettingsDoc } from '../../models/accountSettings.js';
import type { AccountLimits } from '../../services/accountLimits.js';
import type { StorageIndex } from '../../services/storageIndex.js';
import type { UsageStats } from '../../services/usageStats.js';
import { userSettingsJson } from './userJson.js';
import { usageChartRoutes } from './usageCharts.js';
import { fields } from './videocmsInput.js';
import { accountSchema, EMPTY } from './videocmsSchemas.js';

const settingsInput = z.object({ enableplayercaptcha: z.boolean(), newpassword: z.string().optional() });

interface AccountDeps {
  stats: UsageStats;
  settings: Model<AccountSettingsDoc>;
  limits: AccountLimits;
  storage: StorageIndex;
  auth: PluginAuth;
  api: ApiDescription;
}

/** VideoCMS's /api/account: the caller's account, settings and usage charts, with its shapes ({Traffic:[{Timestamp,Bytes}]}, [{ID,Name,value}]). */
export function accountRoutes({ stats, settings, limits, storage, auth, api }: AccountDeps): Router {
  const { router, route } = describedRouter('/api/account', api);
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const settingsOf = (ctx: Context) => limits.accountSettings(owner(ctx));

  route({ method: 'get', path: '/', summary: "The caller's account: user, quota, use and settings", responses: { 200: { description: 'The account', schema: accountSchema } } }, async (ctx) => {
    const userId = userIdOf(auth.principal(ctx));
    const user = userId ? await auth.findUser(userId) : undefined;
    const [used, count, own, effective] = await Promise.all([storage.bytesOf(owner(ctx)), storage.filesOf(owner(ctx)), settingsOf(ctx), limits.of(owner(ctx))]);
    const settingsJson = userSettingsJson({ settings: own, limits: effective });
    ctx.body = {
      Username: user?.email ?? owner(ctx),
      Admin: !!user?.permissions.has('*'),
      Email: user?.email ?? '',
      Balance: own.balance ?? 0,
      Storage: effective.quota.maxStoredBytes,
      Used: used,
      Files: count,
      Settings: settingsJson,
      MaxRemoteDownloads: settingsJson.MaxRemoteDownloads,
      RemoteDownloadEnabled: settingsJson.RemoteDownloadEnabled,
    };
  });

  route({ method: 'get', path: '/settings', summary: "The caller's settings", responses: { 200: { description: 'The settings', schema: z.object({ EnablePlayerCaptcha: z.boolean() }) } } }, async (ctx) => {
    ctx.body = { EnablePlayerCaptcha: (await settingsOf(ctx)).enablePlayerCaptcha };
  });
  route({ method: 'put', path: '/settings', summary: "Changes the caller's settings (not with an API key)", body: settingsInput, responses: { 200: EMPTY } }, async (ctx) => {
    if (auth.principal(ctx)!.scheme === API_KEY_SCHEME) throw new ForbiddenError('API Key Not Permitted to Update Settings');
    const input = fields(ctx, settingsInput);
    // The password is the back-office account's: it is changed there, where the current one is asked for.
    if (input.newpassword !== undefined) throw new BadRequestError('NewPassword is not taken here: change the password in the back office');
    await settings.updateOne({ _id: owner(ctx) }, { $set: { enablePlayerCaptcha: input.enableplayercaptcha } }, { upsert: true });
    ctx.status = 200;
    ctx.body = '';
  });

  usageChartRoutes(route, [], owner, 'files', stats);
  return router;
}
