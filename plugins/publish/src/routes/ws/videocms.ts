import type { Context } from 'koa';
import { BadRequestError, describedRouter, z, type ApiDescription, type PluginAuth, type PluginUrls, type Router } from '@mediahost/core';
import type { Quality } from '../../config.js';
import type { FileService } from '../../services/files.js';
import type { Ingest } from '../../services/ingest.js';
import type { Tags } from '../../services/tags.js';
import type { TusUploads } from '../../services/tusUploads.js';
import { FORM_TYPES } from './formTypes.js';
import { multipartFields } from './multipartFields.js';
import { fields, id, idObjects, name, parentFolderId } from './videocmsInput.js';
import { EMPTY, folderSchema, linkDetailSchema, linkSchema, tagSchema } from './videocmsSchemas.js';
import { createdLinkJson, folderJson, linkDetailJson, linkJson, tagJson } from './videocmsShapes.js';

interface VideocmsDeps {
  files: FileService;
  tags: Tags;
  ingest: Ingest;
  qualities: Quality[];
  auth: PluginAuth;
  urls: PluginUrls;
  /** Where a copy's bytes are checked against the owner's quota, as an upload's. */
  tus: TusUploads;
  api: ApiDescription;
}

const folderQuery = z.object({ parentfolderid: parentFolderId });
const newFolder = z.object({ name, parentfolderid: parentFolderId });
const folderRename = z.object({ folderid: id, name });
const folderRef = z.object({ folderid: id });
const folderRefs = z.object({ folderids: idObjects('folderid') });
const fileListQuery = z.object({
  parentfolderid: parentFolderId,
  status: z.enum(['processing', 'ready', 'failed']).optional(),
  tag: z.string().trim().min(1).max(120).optional(),
  sortby: z.enum(['name', 'createdAt', 'size', 'duration', 'views']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
});
const searchQuery = z.object({ query: name });
const linkRef = z.object({ linkid: id });
const linkRefs = z.object({ linkids: idObjects('linkid') });
const cloneInput = z.object({ name, sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'Sha256 must be a SHA-256 hex digest'), parentfolderid: parentFolderId });
const linkRename = z.object({ linkid: id, name });
const moveInput = z.object({ parentfolderid: parentFolderId, folderids: z.array(id).default([]), linkids: z.array(id).default([]) });
const newTag = z.object({ name, linkid: id });
const tagRef = z.object({ tagid: id, linkid: id });

/**
 * The VideoCMS media API below api/: folders, files (links), search, tags and moves, for the caller's own
 * items. Shapes and status codes follow VideoCMS; errors are JSON; another owner's item is a 404 like a missing one.
 * Field names are matched case-insensitively (videocmsInput.ts): the document names them in lower case.
 */
export function videocmsRoutes({ files, tags, ingest, qualities, auth, urls, tus, api }: VideocmsDeps): Router {
  const { router, route } = describedRouter('/api', api);
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const done = (ctx: Context) => {
    ctx.status = 200;
    ctx.body = '';
  };

  route({ method: 'get', path: '/folders', summary: 'The folders in a folder (the root by default)', query: folderQuery, responses: { 200: { description: 'The folders', schema: z.array(folderSchema) } }, errors: [404] }, async (ctx) => {
    const { parentfolderid } = fields(ctx, folderQuery);
    if (parentfolderid) await files.folders.get(owner(ctx), parentfolderid);
    ctx.body = (await files.folders.list(owner(ctx), parentfolderid)).map(folderJson);
  });
  route({ method: 'post', path: '/folder', summary: 'Creates a folder', body: newFolder, bodyContentTypes: FORM_TYPES, responses: { 200: { description: 'The folder', schema: folderSchema } }, errors: [404] }, multipartFields, async (ctx) => {
    const input = fields(ctx, newFolder);
    const parent = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
    ctx.body = folderJson(await files.folders.create(owner(ctx), input.name, parent));
  });
  route({ method: 'put', path: '/folder', summary: 'Renames a folder', body: folderRename, bodyContentTypes: FORM_TYPES, responses: { 200: EMPTY }, errors: [404] }, multipartFields, async (ctx) => {
    const input = fields(ctx, folderRename);
    await files.folders.update(owner(ctx), input.folderid, { name: input.name });
    done(ctx);
  });
  route({ method: 'delete', path: '/folder', summary: 'Deletes a folder with all it holds', body: folderRef, bodyContentTypes: FORM_TYPES, responses: { 200: EMPTY }, errors: [404] }, multipartFields, async (ctx) => {
    const { folderid } = fields(ctx, folderRef);
    await files.removeFolders(owner(ctx), [folderid]);
    done(ctx);
  });
  route({ method: 'delete', path: '/folders', summary: 'Deletes folders of one parent', body: folderRefs, responses: { 200: EMPTY }, errors: [404] }, async (ctx) => {
    const { folderids } = fields(ctx, folderRefs);
    const folders = await Promise.all(folderids.map((folderId) => files.folders.get(owner(ctx), folderId)));
    if (new Set(folders.map((f) => f.parentId ?? 0)).size > 1) throw new BadRequestError('all folders have to share the same parent folder');
    await files.removeFolders(owner(ctx), folderids);
    done(ctx);
  });

  // VideoCMS lists a whole folder by name; Status, Tag, SortBy, Order, Page and Limit are ours, the total in X-Total-Count.
  route({ method: 'get', path: '/files', summary: 'The files in a folder, the total in X-Total-Count', query: fileListQuery, responses: { 200: { description: 'The files', schema: z.array(linkSchema) } }, errors: [404] }, async (ctx) => {
    const input = fields(ctx, fileListQuery);
    if (input.parentfolderid) await files.folders.get(owner(ctx), input.parentfolderid);
    const { items, total } = await files.list(owner(ctx), {
      folderId: input.parentfolderid,
      status: input.status,
      tag: input.tag,
      sortBy: input.sortby,
      order: input.order,
      page: input.page,
      limit: input.limit,
    });
    ctx.set('X-Total-Count', String(total));
    ctx.body = items.map(linkJson);
  });
  route({ method: 'get', path: '/files/search', summary: 'The files whose name holds the query', query: searchQuery, responses: { 200: { description: 'The files', schema: z.array(linkSchema) } } }, async (ctx) => {
    const { query } = fields(ctx, searchQuery);
    const { items } = await files.list(owner(ctx), { search: query, sortBy: 'name', order: 'asc', page: 0, limit: 10_000 });
    ctx.body = items.map(linkJson);
  });
  route({ method: 'get', path: '/file', summary: 'A file with its qualities, subtitles and audio tracks', query: linkRef, responses: { 200: { description: 'The file', schema: linkDetailSchema } }, errors: [404] }, async (ctx) => {
    const { linkid } = fields(ctx, linkRef);
    ctx.body = linkDetailJson(await files.ownLink(owner(ctx), linkid), qualities, urls);
  });
  route({ method: 'post', path: '/file/clone', summary: 'Another link to a file the caller has, by its SHA-256', body: cloneInput, bodyContentTypes: [FORM_TYPES[0]!], responses: { 200: { description: 'The new link', schema: linkSchema } }, errors: [404, 503] }, async (ctx) => {
    const input = fields(ctx, cloneInput);
    const folderId = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
    const original = await files.ownBySha256(owner(ctx), input.sha256.toLowerCase());
    await tus.assertRoomToStore(owner(ctx), original.size);
    ctx.body = createdLinkJson(await ingest.copyOf(original, { owner: owner(ctx), name: input.name, folderId }));
  });
  route({ method: 'put', path: '/file', summary: 'Renames a file', body: linkRename, bodyContentTypes: [FORM_TYPES[0]!], responses: { 200: EMPTY }, errors: [404] }, async (ctx) => {
    const input = fields(ctx, linkRename);
    const file = await files.ownLink(owner(ctx), input.linkid);
    await files.update(owner(ctx), file._id, { name: input.name });
    done(ctx);
  });
  route({ method: 'delete', path: '/file', summary: 'Deletes a file', body: linkRef, bodyContentTypes: [FORM_TYPES[0]!], responses: { 200: EMPTY }, errors: [404] }, async (ctx) => {
    const { linkid } = fields(ctx, linkRef);
    await files.remove(owner(ctx), [(await files.ownLink(owner(ctx), linkid))._id]);
    done(ctx);
  });
  route({ method: 'delete', path: '/files', summary: 'Deletes files', body: linkRefs, responses: { 200: EMPTY }, errors: [404] }, async (ctx) => {
    const { linkids } = fields(ctx, linkRefs);
    const found = await Promise.all(linkids.map((linkId) => files.ownLink(owner(ctx), linkId)));
    await files.remove(owner(ctx), found.map((f) => f._id));
    done(ctx);
  });
  route({ method: 'put', path: '/move', summary: 'Moves folders and files into a folder', body: moveInput, responses: { 200: EMPTY }, errors: [404] }, async (ctx) => {
    const input = fields(ctx, moveInput);
    const target = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
    for (const folderId of input.folderids) await files.folders.update(owner(ctx), folderId, { parentId: target });
    for (const linkId of input.linkids) await files.update(owner(ctx), (await files.ownLink(owner(ctx), linkId))._id, { folderId: target });
    done(ctx);
  });

  route({ method: 'post', path: '/file/tag', summary: 'Tags a file', body: newTag, bodyContentTypes: FORM_TYPES, responses: { 200: { description: 'The tag', schema: tagSchema } }, errors: [404] }, multipartFields, async (ctx) => {
    const input = fields(ctx, newTag);
    ctx.body = tagJson(await tags.add(await files.ownLink(owner(ctx), input.linkid), input.name));
  });
  route({ method: 'delete', path: '/file/tag', summary: 'Takes a tag off a file', body: tagRef, bodyContentTypes: FORM_TYPES, responses: { 200: EMPTY }, errors: [404] }, multipartFields, async (ctx) => {
    const input = fields(ctx, tagRef);
    await tags.remove(await files.ownLink(owner(ctx), input.linkid), input.tagid);
    done(ctx);
  });
  return router;
}
