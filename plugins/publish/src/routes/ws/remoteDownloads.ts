import type { Context } from 'koa';
import { BadRequestError, describedRouter, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { DOWNLOAD_STATUSES, TERMINAL_STATUSES, type RemoteDownloadDoc } from '../../models/remoteDownload.js';
import type { FileService } from '../../services/files.js';
import type { RemoteDownloads } from '../../services/remoteDownloads.js';
import { fields, parentFolderId } from './videocmsInput.js';
import { remoteDownloadSchema } from './videocmsSchemas.js';

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
const newDownloads = z.object({ urls: z.array(z.string().max(4096)).min(1, 'urls is required').max(20, 'at most 20 urls at once'), parentfolderid: parentFolderId });
const listQuery = z.object({
  status: z.enum(DOWNLOAD_STATUSES, { error: 'Invalid status' }).optional(),
  limit: z.coerce.number().int().default(50).transform((n) => (n <= 0 ? 50 : Math.min(n, 200))),
  offset: z.coerce.number().int().min(0).default(0),
});
const clearInput = z.object({
  statuses: z
    .array(terminalStatus)
    .min(1)
    .max(3)
    .refine((list) => new Set(list).size === list.length, 'statuses must be distinct'),
});
const downloadJson = { description: 'The download', schema: remoteDownloadSchema };

export function remoteDownloadRoutes({ downloads, files, auth, api }: { downloads: RemoteDownloads; files: FileService; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('/api', api);
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const idOf = (ctx: Context) => parseInput(z.object({ id: downloadId }), ctx.params).id;

  route({ method: 'post', path: '/remote/download', summary: 'Downloads files from URLs into a folder', body: newDownloads, responses: { 201: { description: 'The downloads, queued', schema: z.array(remoteDownloadSchema) } }, errors: [429, 503] }, async (ctx) => {
    const input = fields(ctx, newDownloads);
    let folderId: number | null;
    try {
      folderId = input.parentfolderid ? (await files.folders.get(owner(ctx), input.parentfolderid))._id : null;
    } catch {
      throw new BadRequestError('Parent folder not found');
    }
    ctx.status = 201;
    ctx.body = (await downloads.create(owner(ctx), input.urls, folderId)).map(remoteDownloadJson);
  });

  route({ method: 'get', path: '/remote/downloads', summary: "The caller's remote downloads, latest first", query: listQuery, responses: { 200: { description: 'The downloads', schema: z.array(remoteDownloadSchema) } } }, async (ctx) => {
    const input = fields(ctx, listQuery);
    ctx.body = (await downloads.list(owner(ctx), input)).map(remoteDownloadJson);
  });

  route({ method: 'post', path: '/remote/download/{id}/cancel', summary: 'Cancels a remote download', responses: { 200: { description: 'Cancelling: the text "ok"', schema: z.literal('ok'), contentType: 'text/plain' } }, errors: [404, 409] }, async (ctx) => {
    await downloads.cancel(owner(ctx), idOf(ctx));
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  });

  route({ method: 'post', path: '/remote/download/{id}/retry', summary: 'Runs a failed or cancelled download again', responses: { 200: downloadJson }, errors: [404, 409, 429, 503] }, async (ctx) => {
    ctx.body = remoteDownloadJson(await downloads.retry(owner(ctx), idOf(ctx)));
  });

  route({ method: 'delete', path: '/remote/download/{id}', summary: 'Forgets a finished download', responses: { 204: { description: 'Forgotten' } }, errors: [404, 409] }, async (ctx) => {
    await downloads.remove(owner(ctx), idOf(ctx));
    ctx.status = 204;
  });

  route({ method: 'delete', path: '/remote/downloads', summary: 'Forgets the finished downloads of the given statuses', body: clearInput, responses: { 200: { description: 'How many', schema: z.object({ deleted: z.number().int() }) } } }, async (ctx) => {
    const { statuses } = fields(ctx, clearInput);
    ctx.body = { deleted: await downloads.clear(owner(ctx), statuses as RemoteDownloadDoc['status'][]) };
  });
  return router;
}
