import { paginationQuerySchema, parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import type { VideoCatalog } from '../../services/videoCatalog.js';

const listQuerySchema = paginationQuerySchema.extend({
  query: z.string().max(200).optional(),
  states: z.preprocess((v) => (v === undefined ? undefined : [v].flat()), z.array(z.coerce.number().int().min(0).max(12)).optional()),
  sortBy: z.enum(['title', 'description', 'date', 'state', 'views', 'category']).default('date'),
  sortOrder: z.enum(['asc', 'desc']).default('desc'),
});

/** OpenVeo web-service routes: GET videos and GET videos/:id. */
export function videoRoutes({ catalog, auth }: { catalog: VideoCatalog; auth: PluginAuth }): Router {
  const router = new Router();
  router.get('/videos', async (ctx) => {
    const query = { ...ctx.query } as Record<string, unknown>;
    if (query['states[]'] !== undefined) query.states = query['states[]'];
    ctx.body = await catalog.list(auth.principal(ctx)!.subject, parseInput(listQuerySchema, query));
  });
  router.get('/videos/:id', async (ctx) => {
    ctx.body = { entity: await catalog.get(auth.principal(ctx)!.subject, ctx.params.id!) };
  });
  return router;
}
