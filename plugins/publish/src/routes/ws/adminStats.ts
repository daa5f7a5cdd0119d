import type { Context } from 'koa';
import { describedRouter, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { StorageHistory } from '../../services/storageHistory.js';
import { defaultPoints, type SystemStats } from '../../services/systemStats.js';
import type { UsageStats } from '../../services/usageStats.js';
import { rangeInput, rangeOf, usageChartRoutes } from './usageCharts.js';
import { fields } from './videocmsInput.js';
import { chartSchema, systemChartSchema } from './videocmsSchemas.js';

const userQuery = z.object({ user_id: z.string().regex(/^[\w-]{1,64}$/, 'user_id must be a user id').optional() });
const systemQuery = rangeInput.extend({ points: z.coerce.number().int().min(0).max(1000).optional() });

/**
 * VideoCMS's admin /api/stats (the host) and /api/stats/*: everyone's usage, or one user's with ?user_id, ranked by user unless ?mode=files.
 * /stats/storage (ours, for the dashboard) is everyone's stored bytes a day, in the same {Traffic:[…]} shape.
 */
export function adminStatsRoutes({ stats, storage, system, auth, api }: { stats: UsageStats; storage: StorageHistory; system: SystemStats; auth: PluginAuth; api?: ApiDescription }): Router {
  const { router, route } = describedRouter('/api/stats', api);
  const ownerOf = (ctx: Context) => {
    const { user_id: userId } = fields(ctx, userQuery);
    return userId ? `user:${userId}` : null;
  };
  // VideoCMS's system chart: the host's CPU, memory, network and disk, `points` averaged buckets over the window.
  route({ method: 'get', path: '/', summary: "The host's CPU, memory, network, disk and encoding queue (admin)", query: systemQuery, responses: { 200: { description: 'Averages a bucket', schema: systemChartSchema } } }, requireAdmin(auth), async (ctx) => {
    const { from, to } = rangeOf(ctx, 86_400_000);
    const { points } = fields(ctx, systemQuery);
    ctx.body = await system.series(from, to, points || defaultPoints(from, to));
  });
  usageChartRoutes(route, [requireAdmin(auth)], ownerOf, 'users', stats, rangeInput.extend(userQuery.shape));
  route({ method: 'get', path: '/storage', summary: "Everyone's stored bytes a day (admin)", query: rangeInput, responses: { 200: { description: 'Bytes a day', schema: chartSchema } } }, requireAdmin(auth), async (ctx) => {
    const { from, to } = rangeOf(ctx, 30 * 86_400_000);
    ctx.body = { Traffic: await storage.series(from, to) };
  });
  return router;
}
