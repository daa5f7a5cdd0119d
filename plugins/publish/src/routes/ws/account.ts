import type { Context } from 'koa';
import { BadRequestError, ForbiddenError, Router, z, type Model, type PluginAuth } from '@mediahost/core';
import { API_KEY_SCHEME, userIdOf } from '../../auth/userAuthenticator.js';
import type { AccountSettingsDoc } from '../../models/accountSettings.js';
import type { AccountLimits } from '../../services/accountLimits.js';
import type { StorageIndex } from '../../services/storageIndex.js';
import type { UsageStats } from '../../services/usageStats.js';
import { userSettingsJson } from './userJson.js';
import { usageChartRoutes } from './usageCharts.js';
import { fields } from './videocmsInput.js';

interface AccountDeps {
  stats: UsageStats;
  settings: Model<AccountSettingsDoc>;
  limits: AccountLimits;
  storage: StorageIndex;
  auth: PluginAuth;
}

/** VideoCMS's /api/account: the caller's account, settings and usage charts, with its shapes ({Traffic:[{Timestamp,Bytes}]}, [{ID,Name,value}]). */
export function accountRoutes({ stats, settings, limits, storage, auth }: AccountDeps): Router {
  const router = new Router({ prefix: '/api/account' });
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const settingsOf = (ctx: Context) => limits.accountSettings(owner(ctx));

  router.get('/', async (ctx) => {
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

  router.get('/settings', async (ctx) => {
    ctx.body = { EnablePlayerCaptcha: (await settingsOf(ctx)).enablePlayerCaptcha };
  });
  router.put('/settings', async (ctx) => {
    if (auth.principal(ctx)!.scheme === API_KEY_SCHEME) throw new ForbiddenError('API Key Not Permitted to Update Settings');
    const input = fields(ctx, z.object({ enableplayercaptcha: z.boolean(), newpassword: z.string().optional() }));
    // The password is the back-office account's: it is changed there, where the current one is asked for.
    if (input.newpassword !== undefined) throw new BadRequestError('NewPassword is not taken here: change the password in the back office');
    await settings.updateOne({ _id: owner(ctx) }, { $set: { enablePlayerCaptcha: input.enableplayercaptcha } }, { upsert: true });
    ctx.status = 200;
    ctx.body = '';
  });

  usageChartRoutes(router, [], owner, 'files', stats);
  return router;
}
