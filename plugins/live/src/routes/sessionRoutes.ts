import { Router } from '@mediahost/core';
import { connectionBodySchema, connectionPatchSchema, parseBody, sessionBodySchema, signalBodySchema, tokenBodySchema } from '../openvidu/bodies.js';
import { callerOf, ownerOf } from '../openvidu/caller.js';
import { connectionJson } from '../sessions/model.js';
import { sessionJson } from '../sessions/sessionJson.js';
import type { MediaNodeService } from '../mediaNodes/mediaNodeService.js';
import type { IpcamConnections } from '../ipcam/ipcamConnections.js';
import type { SessionRegistry } from '../sessions/sessionRegistry.js';

const flag = (value: unknown) => value === 'true';

/** /openvidu/api/sessions, connections, the deprecated /tokens and /signal; each caller reaches only its own sessions. */
export function sessionRoutes({ registry, ipcams, nodes }: { registry: SessionRegistry; ipcams: IpcamConnections; nodes: MediaNodeService }): Router {
  const router = new Router();

  router.post('/sessions', (ctx) => {
    const body = parseBody(sessionBodySchema, ctx.request.body);
    nodes.checkRequested(typeof body.mediaNode === 'string' ? body.mediaNode : body.mediaNode?.id);
    ctx.body = sessionJson(registry.create(body, ownerOf(callerOf(ctx))));
  });
  router.get('/sessions', (ctx) => {
    const content = registry.visibleTo(callerOf(ctx)).map((s) => sessionJson(s, { pendingConnections: flag(ctx.query.pendingConnections) }));
    ctx.body = { numberOfElements: content.length, content };
  });
  router.get('/sessions/:sessionId', (ctx) => {
    ctx.body = sessionJson(registry.get(ctx.params.sessionId!, callerOf(ctx)), { pendingConnections: flag(ctx.query.pendingConnections) });
  });
  router.delete('/sessions/:sessionId', (ctx) => {
    registry.close(registry.get(ctx.params.sessionId!, callerOf(ctx)), 'sessionClosedByServer');
    ctx.status = 204;
  });

  router.post('/sessions/:sessionId/connection', async (ctx) => {
    const session = registry.get(ctx.params.sessionId!, callerOf(ctx));
    const body = parseBody(connectionBodySchema, ctx.request.body);
    ctx.body = connectionJson(body.type === 'IPCAM' ? await ipcams.create(session, body) : registry.createConnection(session, body));
  });
  router.get('/sessions/:sessionId/connection', (ctx) => {
    const content = [...registry.get(ctx.params.sessionId!, callerOf(ctx)).connections.values()].map(connectionJson);
    ctx.body = { numberOfElements: content.length, content };
  });
  router.get('/sessions/:sessionId/connection/:connectionId', (ctx) => {
    const session = registry.getForConnection(ctx.params.sessionId!, callerOf(ctx));
    ctx.body = connectionJson(registry.getConnection(session, ctx.params.connectionId!));
  });
  router.patch('/sessions/:sessionId/connection/:connectionId', (ctx) => {
    const changes = parseBody(connectionPatchSchema, ctx.request.body);
    const session = registry.get(ctx.params.sessionId!, callerOf(ctx));
    const connection = registry.getConnection(session, ctx.params.connectionId!);
    registry.update(connection, changes);
    ctx.body = connectionJson(connection);
  });
  router.delete('/sessions/:sessionId/connection/:connectionId', (ctx) => {
    const session = registry.getForConnection(ctx.params.sessionId!, callerOf(ctx));
    registry.removeConnection(session, registry.getConnection(session, ctx.params.connectionId!), 'forceDisconnectByServer');
    ctx.status = 204;
  });
  router.delete('/sessions/:sessionId/stream/:streamId', (ctx) => {
    const session = registry.getForConnection(ctx.params.sessionId!, callerOf(ctx));
    registry.forceUnpublish(session, ctx.params.streamId!, 'forceUnpublishByServer');
    ctx.status = 204;
  });

  router.post('/tokens', (ctx) => {
    const body = parseBody(tokenBodySchema, ctx.request.body);
    const session = registry.get(body.session, callerOf(ctx));
    const connection = registry.createConnection(session, { ...body, type: 'WEBRTC' });
    ctx.body = {
      id: connection.token,
      token: connection.token,
      connectionId: connection.id,
      createdAt: connection.createdAt,
      session: session.id,
      role: connection.role,
      data: connection.serverData,
      record: connection.record,
      kurentoOptions: connection.kurentoOptions,
      customIceServers: connection.customIceServers,
    };
  });

  router.post('/signal', (ctx) => {
    const body = parseBody(signalBodySchema, ctx.request.body);
    registry.signal(registry.get(body.session, callerOf(ctx)), body);
    ctx.status = 200;
    ctx.body = {};
  });
  return router;
}
