import type { Context } from 'koa';
import { BadRequestError, ForbiddenError, Router, z, type Model, type PluginAuth } from '@mediahost/core';
import { API_KEY_SCHEME, userIdOf } from '../../auth/userAuthenticator.js';
import type { PublishConfig } from '../../config.js';
import type { AccountSettingsDoc } from '../../models/accountSettings.js';
import type { FileDoc } from '../../models/file.js';
import type { UsageKind } from '../../models/usage.js';
import type { UsageStats } from '../../services/usageStats.js';
import { fields } from './videocmsInput.js';

const DAY_MS = 86_400_000;
const rfc3339 = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional();
/** VideoCMS's legacy `interval`, used only when `from` is absent. */
const INTERVAL_MS: Record<string, number> = { '5min': 4 * 3600_000, '1h': DAY_MS, '7h': 7 * DAY_MS };
const rangeInput = z.object({ from: rfc3339, to: rfc3339, points: z.coerce.number().int().min(0).optional(), interval: z.string().optional() });

/** The window of a stats request as VideoCMS reads it: `to` defaults to now, `from` to `interval` or the given span before it. */
function rangeOf(ctx: Context, defaultSpanMs: number, defaultToOffsetMs = 0): { from: Date; to: Date } {
  const input = fields(ctx, rangeInput);
  const to = input.to ?? new Date(Date.now() + defaultToOffsetMs);
  const from = input.from ?? new Date(to.getTime() - (INTERVAL_MS[input.interval ?? ''] ?? defaultSpanMs));
  if (from > to) throw new BadRequestError('from must be before to');
  return { from, to };
}

interface AccountDeps {
  stats: UsageStats;
  settings: Model<AccountSettingsDoc>;
  files: Model<FileDoc>;
  storedBytes: (owner: string) => Promise<number>;
  config: PublishConfig;
  auth: PluginAuth;
}

/** VideoCMS's /api/account: the caller's account, settings and usage charts, with its shapes ({Traffic:[{Timestamp,Bytes}]}, [{ID,Name,value}]). */
export function accountRoutes({ stats, settings, files, storedBytes, config, auth }: AccountDeps): Router {
  const router = new Router({ prefix: '/api/account' });
  const scope = auth.requireScope('publish');
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const settingsOf = async (ctx: Context) => (await settings.findById(owner(ctx)).lean<AccountSettingsDoc>()) ?? { enablePlayerCaptcha: false };

  router.get('/', scope, async (ctx) => {
    const userId = userIdOf(auth.principal(ctx));
    const user = userId ? await auth.findUser(userId) : undefined;
    const [used, count, own] = await Promise.all([storedBytes(owner(ctx)), files.countDocuments({ owner: owner(ctx) }), settingsOf(ctx)]);
    const remote = config.remoteDownloads;
    ctx.body = {
      Username: user?.email ?? owner(ctx),
      Admin: !!user?.permissions.has('*'),
      Email: user?.email ?? '',
      Balance: 0,
      Storage: config.quota.maxStoredBytes,
      Used: used,
      Files: count,
      Settings: {
        WebhooksEnabled: true,
        WebhooksMax: 0,
        UploadSessionsMax: 0,
        EnablePlayerCaptcha: own.enablePlayerCaptcha,
        MaxRemoteDownloads: remote.maxActivePerUser,
        RemoteDownloadEnabled: remote.enabled,
      },
      MaxRemoteDownloads: remote.maxActivePerUser,
      RemoteDownloadEnabled: remote.enabled,
    };
  });

  router.get('/settings', scope, async (ctx) => {
    ctx.body = { EnablePlayerCaptcha: (await settingsOf(ctx)).enablePlayerCaptcha };
  });
  router.put('/settings', scope, async (ctx) => {
    if (auth.principal(ctx)!.scheme === API_KEY_SCHEME) throw new ForbiddenError('API Key Not Permitted to Update Settings');
    const input = fields(ctx, z.object({ enableplayercaptcha: z.boolean(), newpassword: z.string().optional() }));
    // The password is the back-office account's: it is changed there, where the current one is asked for.
    if (input.newpassword !== undefined) throw new BadRequestError('NewPassword is not taken here: change the password in the back office');
    await settings.updateOne({ _id: owner(ctx) }, { $set: { enablePlayerCaptcha: input.enableplayercaptcha } }, { upsert: true });
    ctx.status = 200;
    ctx.body = '';
  });

  const series = (path: string, kind: UsageKind, spanMs: number, toOffsetMs = 0) =>
    router.get(path, scope, async (ctx) => {
      const { from, to } = rangeOf(ctx, spanMs, toOffsetMs);
      ctx.body = { Traffic: await stats.series(kind, owner(ctx), from, to) };
    });
  const modeOf = <M extends string>(ctx: Context, modes: readonly M[], fallback: M): M => {
    const mode = (ctx.query.mode as string | undefined) || fallback;
    if (!modes.includes(mode as M)) throw new BadRequestError(`mode must be one of ${modes.join(', ')}`);
    return mode as M;
  };

  series('/traffic', 'traffic', DAY_MS);
  router.get('/traffic/top', scope, async (ctx) => {
    const { from, to } = rangeOf(ctx, DAY_MS);
    ctx.body = await stats.top('traffic', owner(ctx), from, to, 'files');
  });
  series('/upload', 'upload', DAY_MS);
  router.get('/upload/top', scope, async (ctx) => {
    const { from, to } = rangeOf(ctx, DAY_MS);
    ctx.body = await stats.top('upload', owner(ctx), from, to, modeOf(ctx, ['files', 'users'] as const, 'files'));
  });
  series('/encoding', 'encoding', DAY_MS);
  router.get('/encoding/top', scope, async (ctx) => {
    const { from, to } = rangeOf(ctx, DAY_MS);
    ctx.body = await stats.top('encoding', owner(ctx), from, to, 'files');
  });
  router.get('/storage/top', scope, async (ctx) => {
    ctx.body = await stats.storageTop(owner(ctx), 'files');
  });
  // VideoCMS's remote-download charts default to the last 30 days, up to a day ahead.
  series('/remote-download', 'remote', 30 * DAY_MS, DAY_MS);
  series('/remote-download/duration', 'remoteSeconds', 30 * DAY_MS, DAY_MS);
  router.get('/remote-download/top', scope, async (ctx) => {
    const { from, to } = rangeOf(ctx, 30 * DAY_MS, DAY_MS);
    const mode = modeOf(ctx, ['domains', 'users', 'duration'] as const, 'domains');
    ctx.body = await stats.top(mode === 'duration' ? 'remoteSeconds' : 'remote', owner(ctx), from, to, mode === 'duration' ? 'users' : mode);
  });
  return router;
}
