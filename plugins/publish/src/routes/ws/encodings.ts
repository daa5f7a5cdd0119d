import { Router, type PluginAuth } from '@mediahost/core';
import type { Encodings } from '../../services/encodings.js';
import type { FileService } from '../../services/files.js';

/** GET api/encodings and POST api/encodings/:fileId/retry. */
export function encodingRoutes({ encodings, files, auth }: { encodings: Encodings; files: FileService; auth: PluginAuth }): Router {
  const router = new Router();
  router.get('/api/encodings', async (ctx) => {
    ctx.body = JSON.stringify(await encodings.list(auth.principal(ctx)!.subject));
    ctx.type = 'json';
  });
  router.post('/api/encodings/:fileId/retry', async (ctx) => {
    ctx.status = 202;
    ctx.body = { file: files.entity(await encodings.retry(auth.principal(ctx)!.subject, ctx.params.fileId!)) };
  });
  return router;
}
