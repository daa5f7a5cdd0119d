import { BadRequestError, ForbiddenError, Router, z } from '@mediahost/core';
import type { Context } from 'koa';
import { DELETION_STRATEGIES, type MediaNodeService } from '../mediaNodes/mediaNodeService.js';
import { parseBody } from '../openvidu/bodies.js';
import { callerOf } from '../openvidu/caller.js';

const addBodySchema = z.object({ uri: z.string().min(1).optional(), environmentId: z.string().min(1).optional() });
const patchBodySchema = z.object({ status: z.enum(['launching', 'canceled', 'running', 'waiting-idle-to-terminate', 'terminating']) });

const flag = (ctx: Context, name: string) => ctx.query[name] === 'true';
const jsonOptions = (ctx: Context) => ({ sessions: flag(ctx, 'sessions'), recordings: flag(ctx, 'recordings'), extraInfo: flag(ctx, 'extra-info') });

/** The nodes carry every application's media: only the operator adds, removes or changes them. */
function operatorOnly(ctx: Context): void {
  if (!callerOf(ctx).operator) throw new ForbiddenError('Only the operator (OPENVIDUAPP and the OpenVidu secret) may change the Media Nodes');
}

/** OpenVidu Pro's /openvidu/api/media-nodes. */
export function mediaNodeRoutes(nodes: MediaNodeService): Router {
  const router = new Router();

  router.get('/media-nodes', (ctx) => {
    const content = nodes.list().map((node) => nodes.json(node, callerOf(ctx), jsonOptions(ctx)));
    ctx.body = { numberOfElements: content.length, content };
  });
  router.get('/media-nodes/:id', (ctx) => {
    ctx.body = nodes.json(nodes.get(ctx.params.id!), callerOf(ctx), jsonOptions(ctx));
  });
  router.post('/media-nodes', async (ctx) => {
    operatorOnly(ctx);
    // Nodes here start in well under a second: the answer always comes once the node runs, as with ?wait=true.
    ctx.body = nodes.json(await nodes.add(parseBody(addBodySchema, ctx.request.body ?? {})), callerOf(ctx));
  });
  router.put('/media-nodes', (ctx) => {
    operatorOnly(ctx);
    // Nothing runs outside this process's workers yet, so there is never a node to discover.
    ctx.body = { numberOfElements: 0, content: [] };
  });
  router.delete('/media-nodes/:id', async (ctx) => {
    operatorOnly(ctx);
    const strategy = ctx.query['deletion-strategy'] ?? 'if-no-sessions';
    if (typeof strategy !== 'string' || !(DELETION_STRATEGIES as readonly string[]).includes(strategy)) {
      throw new BadRequestError(`deletion-strategy must be one of ${DELETION_STRATEGIES.join(', ')}`);
    }
    const outcome = await nodes.remove(ctx.params.id!, strategy as (typeof DELETION_STRATEGIES)[number]);
    ctx.status = outcome === 'waiting' ? 202 : flag(ctx, 'wait') ? 204 : 200;
  });
  router.patch('/media-nodes/:id', async (ctx) => {
    operatorOnly(ctx);
    const { status } = parseBody(patchBodySchema, ctx.request.body);
    const changed = await nodes.setStatus(ctx.params.id!, status);
    if (changed) ctx.body = nodes.json(changed, callerOf(ctx));
    else ctx.status = 204;
  });

  return router;
}
