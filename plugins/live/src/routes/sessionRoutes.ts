import { Router, parseInput, z, type ApiDescription } from '@mediahost/core';
import { connectionBodySchema, connectionPatchSchema, parseBody, sessionBodySchema, signalBodySchema, tokenBodySchema } from '../openvidu/bodies.js';
import { callerOf, ownerOf } from '../openvidu/caller.js';
import { connectionListSchema, connectionSchema, sessionListSchema, sessionSchema, tokenSchema } from '../openvidu/responses.js';
import { connectionJson } from '../sessions/model.js';
import { sessionJson } from '../sessions/sessionJson.js';
import type { MediaNodeService } from '../mediaNodes/mediaNodeService.js';
import type { IpcamConnections } from '../ipcam/ipcamConnections.js';
import type { SessionRegistry } from '../sessions/sessionRegistry.js';

/** OpenVidu reads only "true"; anything else is false. */
const sessionQuerySchema = z.object({ pendingConnections: z.string().optional().describe('true: include the connections not yet joined') });
const pendingConnections = (query: unknown) => parseInput(sessionQuerySchema, query).pendingConnections === 'true';
const noContent = { 204: { description: 'Done' } };

/** /openvidu/api/sessions, connections, the deprecated /tokens and /signal; each caller reaches only its own sessions. */
export function sessionRoutes({ registry, ipcams, nodes, api }: { registry: SessionRegistry; ipcams: IpcamConnections; nodes: MediaNodeService; api: ApiDescription }): Router {
  const router = new Router();

  api.route(router, { method: 'post', path: '/sessions', summary: 'Initialize a session', body: sessionBodySchema, bodyRequired: false, responses: { 200: { description: 'The session', schema: sessionSchema } }, errors: [409] }, (ctx) => {
    const body = parseBody(sessionBodySchema, ctx.request.body);
    nodes.checkRequested(typeof body.mediaNode === 'string' ? body.mediaNode : body.mediaNode?.id);
    ctx.body = sessionJson(registry.create(body, ownerOf(callerOf(ctx))));
  });
  api.route(router, { method: 'get', path: '/sessions', summary: "The caller's sessions", query: sessionQuerySchema, responses: { 200: { description: 'The sessions', schema: sessionListSchema } } }, (ctx) => {
    const pending = pendingConnections(ctx.query);
    const content = registry.visibleTo(callerOf(ctx)).map((s) => sessionJson(s, { pendingConnections: pending }));
    ctx.body = { numberOfElements: content.length, content } satisfies z.output<typeof sessionListSchema>;
  });
  api.route(router, { method: 'get', path: '/sessions/{sessionId}', summary: 'A session', query: sessionQuerySchema, responses: { 200: { description: 'The session', schema: sessionSchema } }, errors: [404] }, (ctx) => {
    ctx.body = sessionJson(registry.get(ctx.params.sessionId!, callerOf(ctx)), { pendingConnections: pendingConnections(ctx.query) });
  });
  api.route(router, { method: 'delete', path: '/sessions/{sessionId}', summary: 'Close a session', responses: noContent, errors: [404] }, (ctx) => {
    registry.close(registry.get(ctx.params.sessionId!, callerOf(ctx)), 'sessionClosedByServer');
    ctx.status = 204;
  });

  api.route(router, { method: 'post', path: '/sessions/{sessionId}/connection', summary: 'Create a connection (WEBRTC: its token; IPCAM: a camera joins)', body: connectionBodySchema, bodyRequired: false, responses: { 200: { description: 'The connection', schema: connectionSchema } }, errors: [404, 500] }, async (ctx) => {
    const session = registry.get(ctx.params.sessionId!, callerOf(ctx));
    const body = parseBody(connectionBodySchema, ctx.request.body);
    ctx.body = connectionJson(body.type === 'IPCAM' ? await ipcams.create(session, body) : registry.createConnection(session, body));
  });
  api.route(router, { method: 'get', path: '/sessions/{sessionId}/connection', summary: "A session's connections", responses: { 200: { description: 'The connections', schema: connectionListSchema } }, errors: [404] }, (ctx) => {
    const content = [...registry.get(ctx.params.sessionId!, callerOf(ctx)).connections.values()].map(connectionJson);
    ctx.body = { numberOfElements: content.length, content } satisfies z.output<typeof connectionListSchema>;
  });
  api.route(router, { method: 'get', path: '/sessions/{sessionId}/connection/{connectionId}', summary: 'A connection', responses: { 200: { description: 'The connection', schema: connectionSchema } }, errors: [404] }, (ctx) => {
    const session = registry.getForConnection(ctx.params.sessionId!, callerOf(ctx));
    ctx.body = connectionJson(registry.getConnection(session, ctx.params.connectionId!));
  });
  api.route(router, { method: 'patch', path: '/sessions/{sessionId}/connection/{connectionId}', summary: "Change a connection's role or record flag", body: connectionPatchSchema, bodyRequired: false, responses: { 200: { description: 'The connection', schema: connectionSchema } }, errors: [404] }, (ctx) => {
    const changes = parseBody(connectionPatchSchema, ctx.request.body);
    const session = registry.get(ctx.params.sessionId!, callerOf(ctx));
    const connection = registry.getConnection(session, ctx.params.connectionId!);
    registry.update(connection, changes);
    ctx.body = connectionJson(connection);
  });
  api.route(router, { method: 'delete', path: '/sessions/{sessionId}/connection/{connectionId}', summary: 'Force a disconnection', responses: noContent, errors: [404] }, (ctx) => {
    const session = registry.getForConnection(ctx.params.sessionId!, callerOf(ctx));
    registry.removeConnection(session, registry.getConnection(session, ctx.params.connectionId!), 'forceDisconnectByServer');
    ctx.status = 204;
  });
  api.route(router, { method: 'delete', path: '/sessions/{sessionId}/stream/{streamId}', summary: 'Force the unpublishing of a stream', responses: noContent, errors: [404] }, (ctx) => {
    const session = registry.getForConnection(ctx.params.sessionId!, callerOf(ctx));
    registry.forceUnpublish(session, ctx.params.streamId!, 'forceUnpublishByServer');
    ctx.status = 204;
  });

  api.route(router, { method: 'post', path: '/tokens', summary: 'Create a token (deprecated: POST /sessions/{sessionId}/connection)', body: tokenBodySchema, responses: { 200: { description: 'The token', schema: tokenSchema } }, errors: [404] }, (ctx) => {
    const body = parseBody(tokenBodySchema, ctx.request.body);
    const session = registry.get(body.session, callerOf(ctx));
    const connection = registry.createConnection(session, { ...body, type: 'WEBRTC' });
    const { token } = connection;
    if (!token) throw new Error('A WEBRTC connection is created with its token');
    ctx.body = {
      id: token,
      token,
      connectionId: connection.id,
      createdAt: connection.createdAt,
      session: session.id,
      role: connection.role,
      data: connection.serverData,
      record: connection.record,
      kurentoOptions: connection.kurentoOptions,
      customIceServers: connection.customIceServers,
    } satisfies z.output<typeof tokenSchema>;
  });

  api.route(router, { method: 'post', path: '/signal', summary: 'Send a signal to participants', body: signalBodySchema, responses: { 200: { description: 'Sent', schema: z.strictObject({}) } }, errors: [404, 406] }, (ctx) => {
    const body = parseBody(signalBodySchema, ctx.request.body);
    registry.signal(registry.get(body.session, callerOf(ctx)), body);
    ctx.status = 200;
    ctx.body = {};
  });
  return router;
}
