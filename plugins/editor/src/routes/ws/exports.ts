import type { Context } from 'koa';
import { NotFoundError, parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { Exports } from '../../services/exports.js';
import { pageQuerySchema, paged, skipOf } from '../../services/pages.js';
import type { Timelines } from '../../services/timelines.js';
import { idParam, optionalId } from './params.js';

const exportSchema = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  description: z.string().max(5000).optional(),
  userId: optionalId,
  /** Not WeVideo's: publish the export to the application's publish library (default: the instance's setting). */
  publishToLibrary: z.boolean().optional(),
});

/** Exports: started from the API (the reference's users start them in the editor), listed per user. */
export function exportRoutes({ access, timelines, exports, auth }: { access: Access; timelines: Timelines; exports: Exports; auth: PluginAuth }): Router {
  const router = new Router();
  const principal = (ctx: Context) => auth.principal(ctx)!;

  router.post('/api/4/timelines/:id/export', async (ctx) => {
    const timeline = await timelines.get(idParam(ctx.params.id));
    await access.ownsInstance(principal(ctx), timeline.instanceId).catch(() => {
      throw new NotFoundError(`Timeline ${timeline._id} not found`);
    });
    const input = parseInput(exportSchema, ctx.request.body ?? {});
    const user = await access.user(principal(ctx), input.userId ?? timeline.userId);
    ctx.body = { success: true, exportId: (await exports.start(timeline, user, input))._id };
  });
  router.get('/api/4/exports/:exportId', async (ctx) => {
    const doc = await exports.get(ctx.params.exportId!);
    await access.ownsInstance(principal(ctx), doc.instanceId).catch(() => {
      throw new NotFoundError(`Export ${doc._id} not found`);
    });
    ctx.body = exports.view(doc);
  });
  router.get('/api/3/users/:id/exports', async (ctx) => {
    const user = await access.user(principal(ctx), idParam(ctx.params.id));
    const query = parseInput(pageQuerySchema, ctx.query);
    const found = await exports.ofUser(user._id, skipOf(query), query.pageSize);
    ctx.body = paged(found.exports.map((doc) => exports.view(doc)), found.total, query);
  });
  return router;
}
