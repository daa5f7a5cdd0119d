import { backOfficePage, escapeHtml, Router, type PluginUrls } from '@mediahost/core';

/** The back office's admin page: the dashboard's charts and top lists, then users, settings and pages (browser/admin.ts draws them). */
export function adminPageRoutes({ urls }: { urls: PluginUrls }): Router {
  return new Router().get('/admin', (ctx) => {
    ctx.type = 'html';
    ctx.body = backOfficePage(ctx, {
      title: 'Video platform',
      script: urls.backOffice('/assets/admin.js'),
      body: `<div id="app" data-base="${escapeHtml(urls.backOffice())}" data-pages="${escapeHtml(urls.public('/page'))}" aria-live="polite">Loading…</div>`,
    });
  });
}
