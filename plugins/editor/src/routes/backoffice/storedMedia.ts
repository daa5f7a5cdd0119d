import type { Context } from 'koa';
import { parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import { backOfficeSpaceOf } from '../../services/backOfficeSpace.js';
import type { Intake } from '../../services/intake.js';

const openSchema = z.strictObject({ url: z.string().min(1).max(2000) });
const TICKET_ID = /^\d{4}_\d{2}_\d{2}_[0-9a-f-]{36}$/;

/**
 * "Open in editor" from the back office: a video another plugin keeps, named by its URL, imported into the signed-in
 * user's own editor space when they may see it (404 otherwise, as for a video that does not exist); then its state.
 */
export function storedMediaRoutes({ access, intake, auth }: { access: Access; intake: Intake; auth: PluginAuth }): Router {
  const router = new Router();
  const user = (ctx: Context) => auth.user(ctx)!;

  router.post('/api/stored-media', async (ctx) => {
    const { url } = parseInput(openSchema, ctx.request.body ?? {});
    const space = backOfficeSpaceOf(user(ctx));
    const owner = await access.userOrApiUser(space);
    const ticket = await intake.importStored(user(ctx), space.applicationId, owner, url);
    ctx.status = 202;
    ctx.body = { ticket };
  });
  router.get('/api/stored-media/:ticket', async (ctx) => {
    const id = parseInput(z.string().regex(TICKET_ID, 'not a ticket id'), ctx.params.ticket);
    const state = (await intake.status(backOfficeSpaceOf(user(ctx)).applicationId, [id]))[id]!;
    ctx.body = { ticket: id, ...state };
  });
  return router;
}
