import type { Context } from 'koa';
import { describedRouter, NotFoundError, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import { folderView, type Folders } from '../../services/folders.js';
import type { Intake } from '../../services/intake.js';
import { mediaFileView, type MediaFiles } from '../../services/mediaFiles.js';
import { pageQuerySchema, paged, skipOf } from '../../services/pages.js';
import { idParam, optionalId } from './params.js';
import { folderViewSchema, mediaFileViewSchema, pagedSchema, success, ticketStatusSchema, uploadTicketsSchema } from './wevSchemas.js';

const importSchema = z.object({
  urls: z.array(z.union([z.string(), z.object({ url: z.string(), title: z.string().max(500).optional(), proxyUrl: z.string().optional() })])).min(1).max(100),
  userId: optionalId,
  folderId: optionalId,
});
const uploadSchema = z.object({
  fileData: z.array(z.object({ size: z.number().int().positive(), title: z.string().max(500).optional() })).min(1).max(100),
  userId: optionalId,
  folderId: optionalId,
});
const folderSchema = z.object({ name: z.string().trim().min(1).max(500) });
const TICKET_ID = /^\d{4}_\d{2}_\d{2}_[0-9a-f-]{36}$/;

/** Folders, imports, uploads and their status. */
export function mediaRoutes({ access, folders, intake, files, auth, api }: { access: Access; folders: Folders; intake: Intake; files: MediaFiles; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('', api);
  const principal = (ctx: Context) => auth.principal(ctx)!;
  const ownedFolder = async (ctx: Context, id: number) => {
    const folder = await folders.get(id);
    await access.ownsInstance(principal(ctx), folder.instanceId).catch(() => {
      throw new NotFoundError(`Folder ${id} not found`);
    });
    return folder;
  };

  route({ method: 'get', path: '/api/3/media/{id}/folders', summary: "A folder's folders", query: pageQuerySchema, responses: { 200: { description: 'A page of folders', schema: pagedSchema(folderViewSchema) } }, errors: [404] }, async (ctx) => {
    const folder = await ownedFolder(ctx, idParam(ctx.params.id));
    const query = parseInput(pageQuerySchema, ctx.query);
    const { folders: children, total } = await folders.children(folder._id, skipOf(query), query.pageSize);
    ctx.body = paged(children.map(folderView), total, query);
  });
  route({ method: 'post', path: '/api/3/media/{id}/folder', summary: 'Creates a folder in a folder', body: folderSchema, responses: { 200: { description: 'Its id', schema: z.object({ id: z.number().int() }) } }, errors: [404] }, async (ctx) => {
    const parent = await ownedFolder(ctx, idParam(ctx.params.id));
    const { name } = parseInput(folderSchema, ctx.request.body ?? {});
    ctx.body = { id: (await folders.create(parent, name))._id };
  });

  route({ method: 'post', path: '/api/4/files/import', summary: 'Imports files from URLs: a ticket each', body: importSchema, responses: { 200: { description: 'The tickets', schema: success({ tickets: z.array(z.string()) }) } }, errors: [404] }, async (ctx) => {
    const input = parseInput(importSchema, ctx.request.body ?? {});
    const owner = await access.userOrApiUser(principal(ctx), input.userId);
    const items = input.urls.map((item) => (typeof item === 'string' ? { url: item } : item));
    ctx.body = { success: true, tickets: await intake.importUrls(principal(ctx), owner, items, input.folderId) };
  });
  route({ method: 'post', path: '/api/4/files/upload', summary: 'Upload URLs (PUT the bytes there), a ticket each', body: uploadSchema, responses: { 200: { description: 'The tickets and their URLs', schema: uploadTicketsSchema } }, errors: [404] }, async (ctx) => {
    const input = parseInput(uploadSchema, ctx.request.body ?? {});
    const owner = await access.userOrApiUser(principal(ctx), input.userId);
    ctx.body = { success: true, ...(await intake.createUploads(principal(ctx), owner, input.fileData, input.folderId)) };
  });
  route({ method: 'get', path: '/api/4/files/status/{ids}', summary: 'The status of tickets (comma-separated ids)', responses: { 200: { description: 'By ticket id', schema: ticketStatusSchema } }, errors: [404] }, async (ctx) => {
    const ids = (ctx.params.ids as string).split(',').map((id: string) => id.trim()).filter(Boolean);
    const bad = ids.find((id) => !TICKET_ID.test(id));
    parseInput(z.object({ ticketIds: z.array(z.string()).min(1).max(100).refine(() => !bad, `not a ticket id: ${bad}`) }), { ticketIds: ids });
    ctx.body = await intake.status(principal(ctx).applicationId, ids);
  });

  route({ method: 'get', path: '/api/3/users/{id}/media', summary: "A user's files", query: pageQuerySchema, responses: { 200: { description: 'A page of files', schema: pagedSchema(mediaFileViewSchema) } }, errors: [404] }, async (ctx) => {
    const user = await access.user(principal(ctx), idParam(ctx.params.id));
    const query = parseInput(pageQuerySchema, ctx.query);
    const found = await files.ofUser(user._id, skipOf(query), query.pageSize);
    ctx.body = paged(found.files.map(mediaFileView), found.total, query);
  });
  route({ method: 'get', path: '/api/4/files/{id}', summary: 'A file', responses: { 200: { description: 'The file', schema: mediaFileViewSchema } }, errors: [404] }, async (ctx) => {
    const file = await files.get(idParam(ctx.params.id));
    await access.ownsInstance(principal(ctx), file.instanceId).catch(() => {
      throw new NotFoundError(`File ${file._id} not found`);
    });
    ctx.body = mediaFileView(file);
  });
  return router;
}
