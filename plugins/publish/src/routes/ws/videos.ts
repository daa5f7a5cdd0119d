import { paginationQuerySchema, parseInput, Router, z, type ApiDescription, type PluginAuth } from '@mediahost/core';
import { videoEntitySchema, videoListSchema } from '../../openveo/videoSchemas.js';
import type { VideoCatalog } from '../../services/videoCatalog.js';

const listQuerySchema = paginationQuerySchema.extend({
  // A NUL reaches the database's regex and fails it there (a 500 schemathesis found): refused here.
  query: z.string().max(200).regex(/^[^\u0000]*$/, 'query must not contain NUL characters').optional(),
  states: z.preprocess((v) => (v === undefined ? undefined : [v].flat()), z.array(z.coerce.number().int().min(0).max(12)).optional()),
  sortBy: z.enum(['title', 'description', 'date', 'state', 'views', 'category']).default('date'),
  sortOrder: z.enum(['asc', 'desc']).default('desc'),
});

/** OpenVeo web-service routes: GET videos and GET videos/:id. */
export function videoRoutes({ catalog, auth, api }: { catalog: VideoCatalog; auth: PluginAuth; api: ApiDescription }): Router {
  const router = new Router();
  api.route(router, { method: 'get', path: '/videos', summary: "The caller's videos (OpenVeo)", query: listQuerySchema, responses: { 200: { description: 'A page of videos', schema: videoListSchema } } }, async (ctx) => {
    const query = { ...ctx.query } as Record<string, unknown>;
    if (query['states[]'] !== undefined) query.states = query['states[]'];
    ctx.body = (await catalog.list(auth.principal(ctx)!.subject, parseInput(listQuerySchema, query))) satisfies z.output<typeof videoListSchema>;
  });
  api.route(router, { method: 'get', path: '/videos/{id}', summary: 'One of the caller\'s videos (OpenVeo)', responses: { 200: { description: 'The video', schema: videoEntitySchema } }, errors: [404] }, async (ctx) => {
    ctx.body = { entity: await catalog.get(auth.principal(ctx)!.subject, ctx.params.id!) } satisfies z.output<typeof videoEntitySchema>;
  });
  return router;
}
