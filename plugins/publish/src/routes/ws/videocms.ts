import type { Context } from 'koa';
import { BadRequestError, Router, z, type PluginAuth, type PluginUrls } from '@mediahost/core';
import type { Quality } from '../../config.js';
import type { FileService } from '../../services/files.js';
import type { Ingest } from '../../services/ingest.js';
import type { Tags } from '../../services/tags.js';
import type { TusUploads } from '../../services/tusUploads.js';
import { multipartFields } from './multipartFields.js';
import { fields, id, idObjects, name, parentFolderId } from './videocmsInput.js';
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
}

/**
 * The VideoCMS media API below api/: folders, files (links), search, tags and moves, for the caller's own
 * items. Shapes and status codes follow VideoCMS; errors are JSON; another owner's item is a 404 like a missing one.
 */
export function videocmsRoutes({ files, tags, ingest, qualities, auth, urls, tus }: VideocmsDeps): Router {
  const router = new Router({ prefix: '/api' });
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const done = (ctx: Context) => {
    ctx.status = 200;
    ctx.body = '';
  };

  router.get('/folders', async (ctx) => {
    const { parentfolderid } = fields(ctx, z.object({ parentfolderid: parentFolderId }));
    if (parentfolderid) await files.folders.get(owner(ctx), parentfolderid);
    ctx.body = (await files.folders.list(owner(ctx), parentfolderid)).map(folderJson);
  });
  router.post('/folder', multipartFields, async (ctx) => {
    const input = fields(ctx, z.object({ name, parentfolderid: parentFolderId }));
    const parent = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
    ctx.body = folderJson(await files.folders.create(owner(ctx), input.name, parent));
  });
  router.put('/folder', multipartFields, async (ctx) => {
    const input = fields(ctx, z.object({ folderid: id, name }));
    await files.folders.update(owner(ctx), input.folderid, { name: input.name });
    done(ctx);
  });
  router.delete('/folder', multipartFields, async (ctx) => {
    const { folderid } = fields(ctx, z.object({ folderid: id }));
    await files.removeFolders(owner(ctx), [folderid]);
    done(ctx);
  });
  router.delete('/folders', async (ctx) => {
    const { folderids } = fields(ctx, z.object({ folderids: idObjects('folderid') }));
    const folders = await Promise.all(folderids.map((folderId) => files.folders.get(owner(ctx), folderId)));
    if (new Set(folders.map((f) => f.parentId ?? 0)).size > 1) throw new BadRequestError('all folders have to share the same parent folder');
    await files.removeFolders(owner(ctx), folderids);
    done(ctx);
  });

  // VideoCMS lists a whole folder by name; Status, Tag, SortBy, Order, Page and Limit are ours, the total in X-Total-Count.
  router.get('/files', async (ctx) => {
    const input = fields(
      ctx,
      z.object({
        parentfolderid: parentFolderId,
        status: z.enum(['processing', 'ready', 'failed']).optional(),
        tag: z.string().trim().min(1).max(120).optional(),
        sortby: z.enum(['name', 'createdAt', 'size', 'duration', 'views']).default('name'),
        order: z.enum(['asc', 'desc']).default('asc'),
        page: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
      }),
    );
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
  router.get('/files/search', async (ctx) => {
    const { query } = fields(ctx, z.object({ query: name }));
    const { items } = await files.list(owner(ctx), { search: query, sortBy: 'name', order: 'asc', page: 0, limit: 10_000 });
    ctx.body = items.map(linkJson);
  });
  router.get('/file', async (ctx) => {
    const { linkid } = fields(ctx, z.object({ linkid: id }));
    ctx.body = linkDetailJson(await files.ownLink(owner(ctx), linkid), qualities, urls);
  });
  router.post('/file/clone', async (ctx) => {
    const input = fields(ctx, z.object({ name, sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'Sha256 must be a SHA-256 hex digest'), parentfolderid: parentFolderId }));
    const folderId = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
    const original = await files.ownBySha256(owner(ctx), input.sha256.toLowerCase());
    await tus.assertRoomToStore(owner(ctx), original.size);
    ctx.body = createdLinkJson(await ingest.copyOf(original, { owner: owner(ctx), name: input.name, folderId }));
  });
  router.put('/file', async (ctx) => {
    const input = fields(ctx, z.object({ linkid: id, name }));
    const file = await files.ownLink(owner(ctx), input.linkid);
    await files.update(owner(ctx), file._id, { name: input.name });
    done(ctx);
  });
  router.delete('/file', async (ctx) => {
    const { linkid } = fields(ctx, z.object({ linkid: id }));
    await files.remove(owner(ctx), [(await files.ownLink(owner(ctx), linkid))._id]);
    done(ctx);
  });
  router.delete('/files', async (ctx) => {
    const { linkids } = fields(ctx, z.object({ linkids: idObjects('linkid') }));
    const found = await Promise.all(linkids.map((linkId) => files.ownLink(owner(ctx), linkId)));
    await files.remove(owner(ctx), found.map((f) => f._id));
    done(ctx);
  });
  router.put('/move', async (ctx) => {
    const input = fields(ctx, z.object({ parentfolderid: parentFolderId, folderids: z.array(id).default([]), linkids: z.array(id).default([]) }));
    const target = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
    for (const folderId of input.folderids) await files.folders.update(owner(ctx), folderId, { parentId: target });
    for (const linkId of input.linkids) await files.update(owner(ctx), (await files.ownLink(owner(ctx), linkId))._id, { folderId: target });
    done(ctx);
  });

  router.post('/file/tag', multipartFields, async (ctx) => {
    const input = fields(ctx, z.object({ name, linkid: id }));
    ctx.body = tagJson(await tags.add(await files.ownLink(owner(ctx), input.linkid), input.name));
  });
  router.delete('/file/tag', multipartFields, async (ctx) => {
    const input = fields(ctx, z.object({ tagid: id, linkid: id }));
    await tags.remove(await files.ownLink(owner(ctx), input.linkid), input.tagid);
    done(ctx);
  });
  return router;
}
