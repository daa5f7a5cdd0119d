import { Router, z, type ApiDescription } from '@mediahost/core';
import { callerOf } from '../openvidu/caller.js';
import { recordingListSchema, recordingSchema } from '../openvidu/responses.js';
import { recordingJson } from '../recording/recordingModel.js';
import { recordingStartBodySchema, type RecordingService } from '../recording/recordingService.js';

const recording = { 200: { description: 'The recording', schema: recordingSchema } };

/** /openvidu/api/recordings: start, stop, get, list, delete; each caller reaches only its own sessions' recordings. */
export function recordingRoutes({ recordings, api }: { recordings: RecordingService; api: ApiDescription }): Router {
  const router = new Router();
  api.route(router, { method: 'post', path: '/recordings/start', summary: 'Start recording a session', body: recordingStartBodySchema, responses: recording, errors: [404, 406, 409, 422, 500, 501] }, async (ctx) => {
    ctx.body = recordingJson(await recordings.start(ctx.request.body, callerOf(ctx)));
  });
  api.route(router, { method: 'post', path: '/recordings/stop/{recordingId}', summary: 'Stop a recording', responses: recording, errors: [404, 406, 501] }, async (ctx) => {
    ctx.body = recordingJson(await recordings.stop(ctx.params.recordingId!, callerOf(ctx)));
  });
  api.route(router, { method: 'get', path: '/recordings', summary: "The caller's recordings", responses: { 200: { description: 'The recordings', schema: recordingListSchema } }, errors: [501] }, async (ctx) => {
    const items = (await recordings.list(callerOf(ctx))).map(recordingJson);
    ctx.body = { count: items.length, items } satisfies z.output<typeof recordingListSchema>;
  });
  api.route(router, { method: 'get', path: '/recordings/{recordingId}', summary: 'A recording', responses: recording, errors: [404, 501] }, async (ctx) => {
    ctx.body = recordingJson(await recordings.get(ctx.params.recordingId!, callerOf(ctx)));
  });
  api.route(router, { method: 'delete', path: '/recordings/{recordingId}', summary: 'Delete a stopped recording and its files', responses: { 204: { description: 'Deleted' } }, errors: [404, 409, 501] }, async (ctx) => {
    await recordings.remove(ctx.params.recordingId!, callerOf(ctx));
    ctx.status = 204;
  });
  return router;
}
