import { Router } from '@mediahost/core';
import type { BroadcastService } from '../broadcast/broadcastService.js';
import { callerOf } from '../openvidu/caller.js';
import { sessionJson } from '../sessions/sessionJson.js';

/** /openvidu/api/broadcast/start and /stop; each answers the Session object. */
export function broadcastRoutes(broadcasts: BroadcastService): Router {
  const router = new Router();
  router.post('/broadcast/start', async (ctx) => {
    ctx.body = sessionJson(await broadcasts.start(ctx.request.body, callerOf(ctx)));
  });
  router.post('/broadcast/stop', async (ctx) => {
    ctx.body = sessionJson(await broadcasts.stop(ctx.request.body, callerOf(ctx)));
  });
  return router;
}
