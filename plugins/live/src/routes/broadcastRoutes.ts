import { Router, type ApiDescription } from '@mediahost/core';
import { broadcastStartSchema, broadcastStopSchema, type BroadcastService } from '../broadcast/broadcastService.js';
import { callerOf } from '../openvidu/caller.js';
import { sessionSchema } from '../openvidu/responses.js';
import { sessionJson } from '../sessions/sessionJson.js';

const session = { 200: { description: 'The session', schema: sessionSchema } };

/** /openvidu/api/broadcast/start and /stop; each answers the Session object. */
export function broadcastRoutes({ broadcasts, api }: { broadcasts: BroadcastService; api: ApiDescription }): Router {
  const router = new Router();
  api.route(router, { method: 'post', path: '/broadcast/start', summary: 'Broadcast a session to an RTMP server', body: broadcastStartSchema, responses: session, errors: [404, 406, 409, 422, 500, 501] }, async (ctx) => {
    ctx.body = sessionJson(await broadcasts.start(ctx.request.body, callerOf(ctx)));
  });
  api.route(router, { method: 'post', path: '/broadcast/stop', summary: "Stop a session's broadcast", body: broadcastStopSchema, responses: session, errors: [404, 409] }, async (ctx) => {
    ctx.body = sessionJson(await broadcasts.stop(ctx.request.body, callerOf(ctx)));
  });
  return router;
}
