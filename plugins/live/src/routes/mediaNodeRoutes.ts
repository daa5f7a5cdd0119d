import { BadRequestError, ForbiddenError, Router, parseInput, z, type ApiDescription } from '@mediahost/core';
import type { Context } from 'koa';
import { DELETION_STRATEGIES, type MediaNodeService } from '../mediaNodes/mediaNodeService.js';
import { parseBody } from '../openvidu/bodies.js';
import { callerOf } from '../openvidu/caller.js';
import { mediaNodeListSchema, mediaNodeSchema } from '../openvidu/responses.js';

const addBodySchema = z.object({ uri: z.string().min(1).optional(), environmentId: z.string().min(1).optional() });
const patchBodySchema = z.object({ status: z.enum(['launching', 'canceled', 'running', 'waiting-idle-to-terminate', 'terminating']) });

/** OpenVidu reads only "true"; anything else is false. */
const flagSchema = z.string().optional();
const nodeQuerySchema = z.object({ sessions: flagSchema, recordings: flagSchema, 'extra-info': flagSchema });
const deleteQuerySchema = z.object({ 'deletion-strategy': z.string().optional().describe(DELETION_STRATEGIES.join(', ')), wait: flagSchema });

const jsonOptions = (ctx: Context) => {
  const query = parseInput(nodeQuerySchema, ctx.query);
  return { sessions: query.sessions === 'true', recordings: query.recordings === 'true', extraInfo: query['extra-info'] === 'true' };
};

/** The nodes carry every application's media: only the operator adds, removes or changes them. */
function operatorOnly(ctx: Context): void {
  if (!callerOf(ctx).operator) throw new ForbiddenError('Only the operator (OPENVIDUAPP and the OpenVidu secret) may change the Media Nodes');
}

const node = { 200: { description: 'The Media Node', schema: mediaNodeSchema } };
const nodes = { 200: { description: 'The Media Nodes', schema: mediaNodeListSchema } };

/** OpenVidu Pro's /openvidu/api/media-nodes. */
export function mediaNodeRoutes({ nodes: service, api }: { nodes: MediaNodeService; api: ApiDescription }): Router {
  const router = new Router();

  api.route(router, { method: 'get', path: '/media-nodes', summary: 'The Media Nodes', query: nodeQuerySchema, responses: nodes }, (ctx) => {
    const content = service.list().map((n) => service.json(n, callerOf(ctx), jsonOptions(ctx)));
    ctx.body = { numberOfElements: content.length, content } satisfies z.output<typeof mediaNodeListSchema>;
  });
  api.route(router, { method: 'get', path: '/media-nodes/{id}', summary: 'A Media Node', query: nodeQuerySchema, responses: node, errors: [404] }, (ctx) => {
    ctx.body = service.json(service.get(ctx.params.id!), callerOf(ctx), jsonOptions(ctx));
  });
  api.route(router, { method: 'post', path: '/media-nodes', summary: 'Add a Media Node (a new worker on this host)', body: addBodySchema, bodyRequired: false, responses: node, errors: [403, 404, 409, 501] }, async (ctx) => {
    operatorOnly(ctx);
    // Nodes here start in well under a second: the answer always comes once the node runs, as with ?wait=true.
    ctx.body = service.json(await service.add(parseBody(addBodySchema, ctx.request.body ?? {})), callerOf(ctx));
  });
  api.route(router, { method: 'put', path: '/media-nodes', summary: 'Discover Media Nodes started elsewhere (there are none)', responses: nodes, errors: [403] }, (ctx) => {
    operatorOnly(ctx);
    // Nothing runs outside this process's workers yet, so there is never a node to discover.
    ctx.body = { numberOfElements: 0, content: [] } satisfies z.output<typeof mediaNodeListSchema>;
  });
  api.route(
    router,
    {
      method: 'delete',
      path: '/media-nodes/{id}',
      summary: 'Remove a Media Node',
      query: deleteQuerySchema,
      responses: { 200: { description: 'Removal started: the node, terminating', schema: mediaNodeSchema }, 202: { description: 'Will be removed once its sessions end: the node, waiting-idle-to-terminate', schema: mediaNodeSchema }, 204: { description: 'Removed (wait=true)' } },
      errors: [403, 404, 405, 409],
    },
    async (ctx) => {
      operatorOnly(ctx);
      const query = parseInput(deleteQuerySchema, ctx.query);
      const strategy = query['deletion-strategy'] ?? 'if-no-sessions';
      if (!(DELETION_STRATEGIES as readonly string[]).includes(strategy)) throw new BadRequestError(`deletion-strategy must be one of ${DELETION_STRATEGIES.join(', ')}`);
      const removed = service.get(ctx.params.id!);
      const outcome = await service.remove(removed.id, strategy as (typeof DELETION_STRATEGIES)[number]);
      ctx.status = outcome === 'waiting' ? 202 : query.wait === 'true' ? 204 : 200;
      // The node as the removal left it, in JSON like every other answer of the API (no bare status text).
      if (ctx.status !== 204) ctx.body = service.json(removed, callerOf(ctx));
    },
  );
  api.route(router, { method: 'patch', path: '/media-nodes/{id}', summary: "Change a Media Node's status", body: patchBodySchema, responses: { ...node, 204: { description: 'Unchanged' } }, errors: [403, 404, 409] }, async (ctx) => {
    operatorOnly(ctx);
    const { status } = parseBody(patchBodySchema, ctx.request.body);
    const changed = await service.setStatus(ctx.params.id!, status);
    if (changed) ctx.body = service.json(changed, callerOf(ctx));
    else ctx.status = 204;
  });

  return router;
}
