import { describedRouter, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { Encodings } from '../../services/encodings.js';
import type { FileService } from '../../services/files.js';
import { encodingRowsSchema } from './videocmsSchemas.js';

/** GET api/encodings and POST api/encodings/:fileId/retry. */
export function encodingRoutes({ encodings, files, auth, api }: { encodings: Encodings; files: FileService; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('/api/encodings', api);
  route({ method: 'get', path: '/', summary: "The caller's qualities being encoded or failed", responses: { 200: { description: 'One row a quality, null for none', schema: encodingRowsSchema } } }, async (ctx) => {
    ctx.body = JSON.stringify(await encodings.list(auth.principal(ctx)!.subject));
    ctx.type = 'json';
  });
  // The file as the back office's list shows it (FileService.entity).
  const retried = z.object({ file: z.looseObject({ id: z.string(), status: z.string() }) });
  route({ method: 'post', path: '/{fileId}/retry', summary: 'Encodes a failed or stalled file again', responses: { 202: { description: 'The file, queued', schema: retried } }, errors: [404, 409] }, async (ctx) => {
    ctx.status = 202;
    ctx.body = { file: files.entity(await encodings.retry(auth.principal(ctx)!.subject, ctx.params.fileId!)) };
  });
  return router;
}
