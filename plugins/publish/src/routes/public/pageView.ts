import { NotFoundError, Router } from '@mediahost/core';
import type { WebPages } from '../../services/webPages.js';
import { shell } from './playerPage.js';

/** What a page may load: its own inline style and images; never a script, whatever its stored HTML holds. */
const PAGE_CSP = "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET page/<path>: an admin's public page, its sanitized HTML in the plugin's page shell under a CSP that runs no script. */
export function pageViewRoutes({ pages }: { pages: WebPages }): Router {
  const router = new Router();
  router.get('/page/*path', async (ctx) => {
    const path = ctx.params.path ?? '';
    const page = await (/^[\w/-]{2,51}$/.test(path) ? pages.byPath(path) : Promise.reject(new NotFoundError())).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', PAGE_CSP);
    if (!page) {
      ctx.status = 404;
      ctx.body = shell('Page not found', '<h1>Page not found</h1>');
      return;
    }
    ctx.body = shell(page.title, `<article>${page.html}</article>`);
  });
  return router;
}
