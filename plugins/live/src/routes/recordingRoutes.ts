import { Router } from '@mediahost/core';
import { recordingJson } from '../recording/recordingModel.js';
import type { RecordingService } from '../recording/recordingService.js';

/** /openvidu/api/recordings: start, stop, get, list, delete. */
export function recordingRoutes(recordings: RecordingService): Router {
  const router = new Router();
  router.post('/recordings/start', async (ctx) => {
    ctx.body = recordingJson(await recordings.start(ctx.request.body));
  });
  router.post('/recordings/stop/:recordingId', async (ctx) => {
    ctx.body = recordingJson(await recordings.stop(ctx.params.recordingId!));
  });
  router.get('/recordings', async (ctx) => {
    const items = (await recordings.list()).map(recordingJson);
    ctx.body = { count: items.length, items };
  });
  router.get('/recordings/:recordingId', async (ctx) => {
    ctx.body = recordingJson(await recordings.get(ctx.params.recordingId!));
  });
  router.delete('/recordings/:recordingId', async (ctx) => {
    await recordings.remove(ctx.params.recordingId!);
    ctx.status = 204;
  });
  return router;
}
