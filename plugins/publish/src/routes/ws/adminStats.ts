import type { Context } from 'koa';
import { Router, z, type PluginAuth } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { UsageStats } from '../../services/usageStats.js';
import { usageChartRoutes } from './usageCharts.js';
import { fields } from './videocmsInput.js';

/** VideoCMS's admin /api/stats/*: everyone's usage, or one user's with ?user_id, ranked by user unless ?mode=files. */
export function adminStatsRoutes({ stats, auth }: { stats: UsageStats; auth: PluginAuth }): Router {
  const router = new Router({ prefix: '/api/stats' });
  const ownerOf = (ctx: Context) => {
    const { user_id: userId } = fields(ctx, z.object({ user_id: z.string().regex(/^[\w-]{1,64}$/, 'user_id must be a user id').optional() }));
    return userId ? `user:${userId}` : null;
  };
  usageChartRoutes(router, [requireAdmin(auth)], ownerOf, 'users', stats);
  return router;
}
