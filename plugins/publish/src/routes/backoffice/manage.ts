import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Context } from 'koa';
import { backOfficePage, escapeHtml, parseInput, Router, z, type PluginAuth, type PluginUrls, type StoredMediaOpener } from '@mediahost/core';
import type { Encodings } from '../../services/encodings.js';
import type { FileService } from '../../services/files.js';
import { finalizeUpload } from '../../services/finalizeUpload.js';
import type { Ingest } from '../../services/ingest.js';
import type { TusUploads } from '../../services/tusUploads.js';
import { handOverToTus } from '../tusHandOver.js';

const require = createRequire(import.meta.url);
const ASSETS: Record<string, string> = {
  'manage.js': fileURLToPath(new URL('../../browser/manage.js', import.meta.url)),
  'tus.min.js': require.resolve('tus-js-client/dist/tus.min.js'),
  'admin.js': fileURLToPath(new URL('../../browser/admin.js', import.meta.url)),
};
export const MANAGE_PERMISSION = 'publish.manage';

const folderId = z.coerce.number().int().positive();
const listQuery = z.object({ folderId: folderId.optional(), page: z.coerce.number().int().min(0).default(0) });
const folderInput = z.strictObject({ name: z.string().trim().min(1).max(200), parentId: folderId.nullable().default(null) });
const fileChanges = z.strictObject({ name: z.string().trim().min(1).max(255).optional(), folderId: folderId.nullable().optional() });

/** The scripts of the back-office pages, for any signed-in user (the pages themselves check the permission). */
export function manageAssetRoutes(): Router {
  return new Router().get('/assets/:name', async (ctx) => {
    const file = ASSETS[ctx.params.name!];
    if (!file) return;
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = await readFile(file);
  });
}

interface ManageDeps {
  files: FileService;
  encodings: Encodings;
  /** The back office's own tus endpoint, at uploads/. */
  tus: TusUploads;
  ingest: Ingest;
  auth: PluginAuth;
  urls: PluginUrls;
  /** What other plugins offer to do with a video ("Open in editor"), shown beside each one. */
  openers: () => readonly StoredMediaOpener[];
}

/**
 * The back-office pages of the plugin, for the publish.manage group: browse folders, upload with progress (tus from
 * the browser, owned by the signed-in user), watch processing, play, rename, move, delete. Managers see every owner's files.
 */
export function manageRoutes({ files, encodings, tus, ingest, auth, urls, openers }: ManageDeps): Router {
  const router = new Router();
  const owner = (ctx: Context) => `user:${auth.user(ctx)!.id}`;

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = backOfficePage(ctx, { title: 'Videos', script: urls.backOffice('/assets/manage.js'), libraries: [urls.backOffice('/assets/tus.min.js')], body: `<div id="app" data-base="${escapeHtml(urls.backOffice())}" aria-live="polite">Loading…</div>` });
  });

  router.get('/api/files', async (ctx) => {
    const { folderId: id, page } = parseInput(listQuery, ctx.query);
    const folder = id ? await files.folders.get(null, id) : null;
    const breadcrumb = [];
    for (let current = folder; current; current = current.parentId ? await files.folders.get(null, current.parentId) : null) breadcrumb.unshift({ id: current._id, name: current.name });
    const { items, total } = await files.list(null, { folderId: folder?._id ?? null, sortBy: 'createdAt', order: 'desc', page, limit: 50 });
    const folders = await files.folders.list(null, folder?._id ?? null);
    ctx.body = {
      folder: folder && { id: folder._id, name: folder.name, parentId: folder.parentId },
      breadcrumb,
      folders: folders.map((f) => ({ id: f._id, name: f.name })),
      files: items.map((item) => files.entity(item)),
      total,
      openers: openers(),
    };
  });
  router.post('/api/folders', async (ctx) => {
    const { name, parentId } = parseInput(folderInput, ctx.request.body);
    const folder = await files.folders.create(owner(ctx), name, parentId ? (await files.folders.get(null, parentId))._id : null);
    ctx.status = 201;
    ctx.body = { folder: { id: folder._id, name: folder.name, parentId: folder.parentId } };
  });
  router.delete('/api/folders/:id', async (ctx) => {
    ctx.body = { total: await files.removeFolders(null, [parseInput(folderId, ctx.params.id)]) };
  });
  router.patch('/api/files/:id', async (ctx) => {
    ctx.body = { file: files.entity(await files.update(null, ctx.params.id!, parseInput(fileChanges, ctx.request.body))) };
  });
  router.delete('/api/files/:id', async (ctx) => {
    ctx.body = { total: await files.remove(null, [ctx.params.id!]) };
  });
  router.post('/api/files/:id/retry', async (ctx) => {
    const file = await files.own(null, ctx.params.id!);
    ctx.body = { file: files.entity(await encodings.retry(file.owner, file._id)) };
  });
  router.post('/api/uploads/:id/finalize', async (ctx) => {
    const { folderId: id } = parseInput(z.object({ folderId: folderId.nullable().default(null) }), ctx.request.body);
    const { file } = await finalizeUpload(tus, ingest, ctx.params.id!, owner(ctx), async () => (id ? (await files.folders.get(null, id))._id : null));
    ctx.status = 201;
    ctx.body = { file: files.entity(file) };
  });

  router.all(['/uploads', '/uploads/:id'], async (ctx) => {
    const upload = ctx.params.id ? await tus.get(ctx.params.id, owner(ctx)) : undefined;
    await handOverToTus(ctx, tus, owner(ctx), upload?.id);
  });
  return router;
}
