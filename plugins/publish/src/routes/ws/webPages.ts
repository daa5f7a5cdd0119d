import type { Context } from 'koa';
import { Router, z, type PluginAuth } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { WebPageDoc } from '../../models/webPage.js';
import type { WebPages } from '../../services/webPages.js';
import { fields, id } from './videocmsInput.js';

const pageInput = z.object({
  path: z.string().trim().min(2).max(50).regex(/^[\w-]+(\/[\w-]+)*\/?$/, 'Path may hold letters, digits, "-", "_" and "/" only'),
  title: z.string().trim().min(2).max(128),
  html: z.string().max(50_000),
  listinfooter: z.boolean(),
});

const pageJson = (page: WebPageDoc) => ({
  ID: page._id,
  CreatedAt: page.createdAt,
  UpdatedAt: page.updatedAt,
  DeletedAt: null,
  Path: page.path,
  Title: page.title,
  Html: page.html,
  ListInFooter: page.listInFooter,
});

const ok = (ctx: Context) => {
  ctx.type = 'text/plain';
  ctx.body = 'ok';
};

/** VideoCMS's admin page management: GET /api/pages, POST, PUT and DELETE /api/page (bodies with VideoCMS's field names). */
export function webPageAdminRoutes({ pages, auth }: { pages: WebPages; auth: PluginAuth }): Router {
  const router = new Router({ prefix: '/api' });
  const admin = requireAdmin(auth);
  const input = (ctx: Context) => {
    const page = fields(ctx, pageInput);
    return { path: page.path, title: page.title, html: page.html, listInFooter: page.listinfooter };
  };
  router.get('/pages', admin, async (ctx) => {
    ctx.body = (await pages.list()).map(pageJson);
  });
  router.post('/page', admin, async (ctx) => {
    await pages.create(input(ctx));
    ok(ctx);
  });
  router.put('/page', admin, async (ctx) => {
    const { webpageid } = fields(ctx, z.object({ webpageid: id }));
    await pages.update(webpageid, input(ctx));
    ok(ctx);
  });
  router.delete('/page', admin, async (ctx) => {
    const { webpageid } = fields(ctx, z.object({ webpageid: id }));
    await pages.remove(webpageid);
    ok(ctx);
  });
  return router;
}

/**
 * VideoCMS's public /api/p/pages and /api/p/page?Path=…: the page's stored (sanitized) HTML as text, as VideoCMS
 * answers it; a browser sent there directly gets a sandbox that runs nothing whatever the text holds.
 */
export function webPagePublicRoutes({ pages }: { pages: WebPages }): Router {
  const router = new Router({ prefix: '/api/p' });
  router.get('/pages', async (ctx) => {
    ctx.body = (await pages.list()).map((page) => ({ Path: page.path, Title: page.title, ListInFooter: page.listInFooter }));
  });
  router.get('/page', async (ctx) => {
    const { path } = fields(ctx, z.object({ path: z.string().min(2).max(51) }));
    const page = await pages.byPath(path);
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = 'text/plain';
    ctx.body = page.html;
  });
  return router;
}
