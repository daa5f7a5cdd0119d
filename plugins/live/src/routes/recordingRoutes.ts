import { Router } from '@mediahost/core';
import { callerOf } from '../openvidu/caller.js';
import { recordingJson } from '../recording/recordingModel.js';
import type { RecordingService } from '../recording/recordingService.js';

/** /openvidu/api/recordings: start, stop, get, list, delete; each caller reaches only its own sessions' recordings. */
export function recordingRoutes(recordings: RecordingService): Router {
  const router = new Router();
  router.post('/recordings/start', async (ctx) => {
    ctx.body = recordingJson(await recordings.start(ctx.request.body, callerOf(ctx)));
  });
  router.post('/recordings/stop/:recordingId', async (ctx) => {
    ctx.body = recordingJson(await recordings.stop(ctx.params.recordingId!, callerOf(ctx)));
  });
  router.get('/recordings', async (ctx) => {
    const items = (await recordings.list(callerOf(ctx))).map(recordingJson);
    ctx.body = { count: items.length, items };
  });
  router.get('/recordings/:recordingId', async (ctx) => {
    ctx.body = recordingJson(await recordings.get(ctx.params.recordingId!, callerOf(ctx)));
  });
  router.delete('/recordings/:recordingId', async (ctx) => {
    await recordings.remove(ctx.params.recordingId!, callerOf(ctx));
    ctx.status = 204;
  });
  return router;
}
