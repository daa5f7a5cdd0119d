import type { Context } from 'koa';
import { Router, z, type PluginAuth } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { StorageHistory } from '../../services/storageHistory.js';
import { defaultPoints, type SystemStats } from '../../services/systemStats.js';
import type { UsageStats } from '../../services/usageStats.js';
import { rangeOf, usageChartRoutes } from './usageCharts.js';
import { fields } from './videocmsInput.js';

/**
 * VideoCMS's admin /api/stats (the host) and /api/stats/*: everyone's usage, or one user's with ?user_id, ranked by user unless ?mode=files.
 * /stats/storage (ours, for the dashboard) is everyone's stored bytes a day, in the same {Traffic:[…]} shape.
 */
export function adminStatsRoutes({ stats, storage, system, auth }: { stats: UsageStats; storage: StorageHistory; system: SystemStats; auth: PluginAuth }): Router {
  const router = new Router({ prefix: '/api/stats' });
  const ownerOf = (ctx: Context) => {
    const { user_id: userId } = fields(ctx, z.object({ user_id: z.string().regex(/^[\w-]{1,64}$/, 'user_id must be a user id').optional() }));
    return userId ? `user:${userId}` : null;
  };
  // VideoCMS's system chart: the host's CPU, memory, network and disk, `points` averaged buckets over the window.
  router.get('/', requireAdmin(auth), async (ctx) => {
    const { from, to } = rangeOf(ctx, 86_400_000);
    const { points } = fields(ctx, z.object({ points: z.coerce.number().int().min(0).max(1000).optional() }));
    ctx.body = await system.series(from, to, points || defaultPoints(from, to));
  });
  usageChartRoutes(router, [requireAdmin(auth)], ownerOf, 'users', stats);
  router.get('/storage', requireAdmin(auth), async (ctx) => {
    const { from, to } = rangeOf(ctx, 30 * 86_400_000);
    ctx.body = { Traffic: await storage.series(from, to) };
  });
  return router;
}
