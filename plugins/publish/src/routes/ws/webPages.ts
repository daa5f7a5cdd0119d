import type { Context } from 'koa';
import { describedRouter, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { WebPageDoc } from '../../models/webPage.js';
import type { WebPages } from '../../services/webPages.js';
import { FORM_TYPES } from './formTypes.js';
import { fields, id } from './videocmsInput.js';
import { OK_TEXT, webPageLinkSchema, webPageSchema } from './videocmsSchemas.js';

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

const pageRef = z.object({ webpageid: id });
const pathQuery = z.object({ path: z.string().min(2).max(51) });
const pageChange = pageInput.extend(pageRef.shape);

const ok = (ctx: Context) => {
  ctx.type = 'text/plain';
  ctx.body = 'ok';
};

/** VideoCMS's admin page management: GET /api/pages, POST, PUT and DELETE /api/page (bodies with VideoCMS's field names). */
export function webPageAdminRoutes({ pages, auth, api }: { pages: WebPages; auth: PluginAuth; api?: ApiDescription }): Router {
  const { router, route } = describedRouter('/api', api);
  const admin = requireAdmin(auth);
  const input = (ctx: Context) => {
    const page = fields(ctx, pageInput);
    return { path: page.path, title: page.title, html: page.html, listInFooter: page.listinfooter };
  };
  route({ method: 'get', path: '/pages', summary: 'The web pages (admin)', responses: { 200: { description: 'The pages', schema: z.array(webPageSchema) } } }, admin, async (ctx) => {
    ctx.body = (await pages.list()).map(pageJson);
  });
  route({ method: 'post', path: '/page', summary: 'Creates a web page (admin)', body: pageInput, responses: { 200: OK_TEXT }, errors: [409] }, admin, async (ctx) => {
    await pages.create(input(ctx));
    ok(ctx);
  });
  route({ method: 'put', path: '/page', summary: 'Changes a web page (admin)', body: pageChange, responses: { 200: OK_TEXT }, errors: [404, 409] }, admin, async (ctx) => {
    const { webpageid } = fields(ctx, pageRef);
    await pages.update(webpageid, input(ctx));
    ok(ctx);
  });
  route({ method: 'delete', path: '/page', summary: 'Deletes a web page (admin)', body: pageRef, bodyContentTypes: [FORM_TYPES[0]!], responses: { 200: OK_TEXT }, errors: [404] }, admin, async (ctx) => {
    const { webpageid } = fields(ctx, pageRef);
    await pages.remove(webpageid);
    ok(ctx);
  });
  return router;
}

/**
 * VideoCMS's public /api/p/pages and /api/p/page?Path=…: the page's stored (sanitized) HTML as text, as VideoCMS
 * answers it; a browser sent there directly gets a sandbox that runs nothing whatever the text holds.
 */
export function webPagePublicRoutes({ pages, api }: { pages: WebPages; api: ApiDescription }): Router {
  const { router, route } = describedRouter('/api/p', api);
  route({ method: 'get', path: '/pages', summary: 'The web pages', security: [], responses: { 200: { description: 'Their paths and titles', schema: z.array(webPageLinkSchema) } } }, async (ctx) => {
    ctx.body = (await pages.list()).map((page) => ({ Path: page.path, Title: page.title, ListInFooter: page.listInFooter }));
  });
  route({ method: 'get', path: '/page', summary: "A web page's HTML", security: [], query: pathQuery, responses: { 200: { description: 'The HTML, as text', schema: z.string(), contentType: 'text/plain' } }, errors: [404] }, async (ctx) => {
    const { path } = fields(ctx, pathQuery);
    const page = await pages.byPath(path);
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = 'text/plain';
    ctx.body = page.html;
  });
  return router;
}
