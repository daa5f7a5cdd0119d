import type { Context } from 'koa';
import { describedRouter, NotFoundError, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { Exports } from '../../services/exports.js';
import { pageQuerySchema, paged, skipOf } from '../../services/pages.js';
import type { Timelines } from '../../services/timelines.js';
import { idParam, optionalId } from './params.js';
import { exportViewSchema, pagedSchema, success } from './wevSchemas.js';

const exportSchema = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  description: z.string().max(5000).optional(),
  userId: optionalId,
  /** Not WeVideo's: publish the export to the application's publish library (default: the instance's setting). */
  publishToLibrary: z.boolean().optional(),
});

/** Exports: started from the API (the reference's users start them in the editor), listed per user. */
export function exportRoutes({ access, timelines, exports, auth, api }: { access: Access; timelines: Timelines; exports: Exports; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('', api);
  const principal = (ctx: Context) => auth.principal(ctx)!;

  route({ method: 'post', path: '/api/4/timelines/{id}/export', summary: 'Starts rendering a timeline', body: exportSchema, bodyRequired: false, responses: { 200: { description: 'The export id', schema: success({ exportId: z.string() }) } }, errors: [404] }, async (ctx) => {
    const timeline = await timelines.get(idParam(ctx.params.id));
    await access.ownsInstance(principal(ctx), timeline.instanceId).catch(() => {
      throw new NotFoundError(`Timeline ${timeline._id} not found`);
    });
    const input = parseInput(exportSchema, ctx.request.body ?? {});
    const user = await access.user(principal(ctx), input.userId ?? timeline.userId);
    ctx.body = { success: true, exportId: (await exports.start(timeline, user, input))._id };
  });
  route({ method: 'get', path: '/api/4/exports/{exportId}', summary: 'An export, with its file URLs once done', responses: { 200: { description: 'The export', schema: exportViewSchema } }, errors: [404] }, async (ctx) => {
    const doc = await exports.get(ctx.params.exportId!);
    await access.ownsInstance(principal(ctx), doc.instanceId).catch(() => {
      throw new NotFoundError(`Export ${doc._id} not found`);
    });
    ctx.body = exports.view(doc);
  });
  route({ method: 'get', path: '/api/3/users/{id}/exports', summary: "A user's exports", query: pageQuerySchema, responses: { 200: { description: 'A page of exports', schema: pagedSchema(exportViewSchema) } }, errors: [404] }, async (ctx) => {
    const user = await access.user(principal(ctx), idParam(ctx.params.id));
    const query = parseInput(pageQuerySchema, ctx.query);
    const found = await exports.ofUser(user._id, skipOf(query), query.pageSize);
    ctx.body = paged(found.exports.map((doc) => exports.view(doc)), found.total, query);
  });
  return router;
}
