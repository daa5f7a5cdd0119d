import type { Context } from 'koa';
import { BadRequestError, parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import { DOWNLOAD_STATUSES, TERMINAL_STATUSES, type RemoteDownloadDoc } from '../../models/remoteDownload.js';
import type { FileService } from '../../services/files.js';
import type { RemoteDownloads } from '../../services/remoteDownloads.js';
import { fields, parentFolderId } from './videocmsInput.js';

/** VideoCMS's RemoteDownload JSON: PascalCase, Progress a fraction 0..1, Duration in seconds from start to finish. */
export function remoteDownloadJson(row: RemoteDownloadDoc) {
  const duration = row.startedAt && row.finishedAt ? Math.max(0, Math.round((row.finishedAt.getTime() - row.startedAt.getTime()) / 1000)) : 0;
  return {
    ID: row._id,
    CreatedAt: row.createdAt,
    UpdatedAt: row.updatedAt,
    DeletedAt: null,
    ParentFolderID: row.folderId ?? 0,
    Url: row.url,
    Name: row.name,
    Status: row.status,
    Progress: row.progress,
    Error: row.error,
    LinkID: row.linkId,
    LinkUUID: row.linkUuid,
    BytesDownloaded: row.bytesDownloaded,
    TotalSize: row.totalSize,
    Duration: duration,
    StartedAt: row.startedAt,
    FinishedAt: row.finishedAt,
    CancelRequestedAt: row.cancelRequestedAt,
    CanceledAt: row.canceledAt,
  };
}

const downloadId = z.coerce.number({ error: 'Invalid download ID' }).int('Invalid download ID').positive('Invalid download ID');
const terminalStatus = z.enum(TERMINAL_STATUSES as [string, ...string[]], { error: 'only terminal statuses can be cleared' });

export function remoteDownloadRoutes({ downloads, files, auth }: { downloads: RemoteDownloads; files: FileService; auth: PluginAuth }): Router {
  const router = new Router({ prefix: '/api' });
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const idOf = (ctx: Context) => parseInput(z.object({ id: downloadId }), ctx.params).id;

  router.post('/remote/download', async (ctx) => {
    const input = fields(ctx, z.object({ urls: z.array(z.string().max(4096)).min(1, 'urls is required').max(20, 'at most 20 urls at once'), parentfolderid: parentFolderId }));
    let folderId: number | null;
    try {
      folderId = input.parentfolderid ? (await files.folders.get(owner(ctx), input.parentfolderid))._id : null;
    } catch {
      throw new BadRequestError('Parent folder not found');
    }
    ctx.status = 201;
    ctx.body = (await downloads.create(owner(ctx), input.urls, folderId)).map(remoteDownloadJson);
  });

  router.get('/remote/downloads', async (ctx) => {
    const input = fields(
      ctx,
      z.object({
        status: z.enum(DOWNLOAD_STATUSES, { error: 'Invalid status' }).optional(),
        limit: z.coerce.number().int().default(50).transform((n) => (n <= 0 ? 50 : Math.min(n, 200))),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    );
    ctx.body = (await downloads.list(owner(ctx), input)).map(remoteDownloadJson);
  });

  router.post('/remote/download/:id/cancel', async (ctx) => {
    await downloads.cancel(owner(ctx), idOf(ctx));
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  });

  router.post('/remote/download/:id/retry', async (ctx) => {
    ctx.body = remoteDownloadJson(await downloads.retry(owner(ctx), idOf(ctx)));
  });

  router.delete('/remote/download/:id', async (ctx) => {
    await downloads.remove(owner(ctx), idOf(ctx));
    ctx.status = 204;
  });

  router.delete('/remote/downloads', async (ctx) => {
    const { statuses } = fields(
      ctx,
      z.object({
        statuses: z
          .array(terminalStatus)
          .min(1)
          .max(3)
          .refine((list) => new Set(list).size === list.length, 'statuses must be distinct'),
      }),
    );
    ctx.body = { deleted: await downloads.clear(owner(ctx), statuses as RemoteDownloadDoc['status'][]) };
  });
  return router;
}
