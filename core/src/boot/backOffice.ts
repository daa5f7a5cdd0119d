import path from 'node:path';
import type Koa from 'koa';
import createSession from 'koa-session';
import CSRF from 'koa-csrf';
import { requireSignedIn, loadSignedInUser } from '../backoffice/signedInUser.js';
import { backOfficeApi } from '../backoffice/apiRoutes.js';
import { backOfficeBrowserErrors } from '../backoffice/browserErrors.js';
import { serveAssets } from '../backoffice/assets.js';
import { navigation } from '../backoffice/navigation.js';
import { jobsPage, JOBS_PAGE } from '../backoffice/jobsPage.js';
import { backOfficePages, CORE_PAGES } from '../backoffice/pageRoutes.js';
import { sessionStore } from '../backoffice/sessionStore.js';
import { persistentSecret } from '../auth/persistentSecret.js';
import { ForbiddenError } from '../errors.js';
import { createApp } from '../http/createApp.js';
import { healthRoute } from '../http/healthRoute.js';
import { mountGroups } from '../http/mount.js';
import type { Platform } from './platform.js';

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'SAMEORIGIN',
};
const BACK_OFFICE_CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; frame-ancestors 'self'; form-action 'self'";

/** The back-office process: /be (admin pages and their JSON API), plugin back-office routes and public pages. */
export async function createBackOfficeApp(platform: Platform): Promise<Koa> {
  const { conf, logger, db, models, users } = platform;
  const secret = conf.server.sessionSecret ?? (await persistentSecret(path.join(conf.dataDir, 'session.secret')));
  const app = createApp({ logger, trustProxy: conf.server.trustProxy, maxBodyBytes: conf.server.maxBodyBytes, keys: [secret], browserErrors: backOfficeBrowserErrors, database: db.connection });

  app.use((ctx, next) => {
    ctx.set(SECURITY_HEADERS);
    if (ctx.path === '/be' || ctx.path.startsWith('/be/')) ctx.set('Content-Security-Policy', BACK_OFFICE_CSP);
    return next();
  });
  app.use(serveAssets());
  // Public pages and media (players, HLS segments) need no back-office session: served before it is read.
  for (const { plugin, parts, routes, logger: pluginLogger } of platform.plugins) {
    app.use(healthRoute(plugin.name, parts.health, (error) => pluginLogger.warn('health check failed', { error })));
    app.use(mountGroups(`/${plugin.name}`, routes.groups.public, [moduleNamed(plugin.name)]));
  }
  app.use(
    createSession(
      {
        key: 'mediahost.sid',
        maxAge: conf.server.sessionMaxAgeSeconds * 1000,
        httpOnly: true,
        sameSite: 'lax',
        signed: true,
        renew: true,
        // secure is left to the connection: set on HTTPS (or behind a trusted TLS proxy), never sent over plain HTTP.
        store: sessionStore(db.connection),
      },
      app,
    ),
  );
  app.use(async (ctx, next) => {
    ctx.request.body ??= {};
    await next();
  });
  const csrf = new CSRF({
    disableQuery: true,
    errorHandler: () => {
      throw new ForbiddenError('Invalid or missing CSRF token', 'invalid_csrf_token');
    },
  });
  app.use((ctx, next) => (ctx.path === '/be' || ctx.path.startsWith('/be/') ? csrf(ctx, next) : next()));
  app.use(loadSignedInUser(models, users));
  const pluginPages = platform.plugins.flatMap(({ plugin, parts }) =>
    (parts.backOfficePages ?? []).map((page) => ({ ...page, path: `/be/${plugin.name}${page.path === '/' ? '' : page.path}` })),
  );
  app.use(navigation([...CORE_PAGES, JOBS_PAGE, ...pluginPages]));

  const pages = backOfficePages(platform);
  app.use(pages.routes());
  app.use(jobsPage(platform.jobs).routes());
  const api = backOfficeApi(platform);
  app.use(api.routes());
  app.use(api.allowedMethods());

  for (const { plugin, routes } of platform.plugins) {
    app.use(mountGroups(`/be/${plugin.name}`, routes.groups.backOffice, [moduleNamed(plugin.name), requireSignedIn]));
  }
  return app;
}

function moduleNamed(name: string): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.module = name;
    await next();
  };
}
