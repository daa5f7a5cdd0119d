import type Koa from 'koa';
import type { Middleware } from 'koa';
import { webServiceGuard } from '../auth/bearer.js';
import { revokeRoute } from '../auth/revokeRoute.js';
import { oauthErrorFormat, revokeOperation, tokenApi, tokenOperation } from '../auth/tokenApi.js';
import { tokenRoute } from '../auth/tokenRoute.js';
import { HttpError } from '../errors.js';
import { createApp } from '../http/createApp.js';
import { healthRoute } from '../http/healthRoute.js';
import { mountGroups } from '../http/mount.js';
import type { Platform } from './platform.js';

/** The web-service process: POST /token and every plugin's machine API, behind OAuth2 Bearer tokens. */
export function createWebServiceApp(platform: Platform): Koa {
  const { conf, logger, directory, accessTokens, bearer, identityChanges } = platform;
  const app = createApp({ logger, trustProxy: conf.server.trustProxy, maxBodyBytes: conf.server.maxBodyBytes, database: platform.db?.connection });

  const api = tokenApi();
  // Described here, dispatched below without a router: every request of the web service passes this point.
  const coreRoutes = new Map<string, Middleware>([
    [api.describe(tokenOperation).path, tokenRoute(directory, accessTokens, conf.server.ws.accessTokenLifetimeSeconds, logger)],
    [api.describe(revokeOperation).path, revokeRoute(directory, accessTokens, identityChanges)],
  ]);
  app.use((ctx, next) => {
    const route = coreRoutes.get(ctx.path);
    if (!route) return next();
    ctx.state.errorFormat = oauthErrorFormat;
    if (ctx.method === 'POST') return route(ctx, next);
    ctx.set('Allow', 'POST');
    if (ctx.method === 'OPTIONS') return void (ctx.status = 204);
    throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}: use POST`);
  });
  app.use(api.documentRoute());

  for (const { plugin, parts, routes, api: pluginApi, logger: pluginLogger } of platform.plugins) {
    const moduleName: Middleware = (ctx, next) => {
      ctx.state.module = plugin.name;
      return next();
    };
    // Before the plugin's guard: the document of an API is no secret, and tells a client how to authenticate.
    if (pluginApi.list().length) app.use(pluginApi.documentRoute());
    if (routes.groups.webServicePublic.length) app.use(mountGroups(`/${plugin.name}`, routes.groups.webServicePublic, [moduleName]));
    if (!routes.groups.webService.length) continue;
    const scopes = (plugin.scopes ?? []).map((scope) => scope.id);
    app.use(
      mountGroups(`/${plugin.name}`, routes.groups.webService, [
        moduleName,
        webServiceGuard([...(parts.webServiceAuth ?? []), bearer], scopes),
        // behind the plugin's guard here, as everything under its prefix: a caller without a token learns nothing
        healthRoute(plugin.name, parts.health, (error) => pluginLogger.warn('health check failed', { error })),
      ]),
    );
  }
  return app;
}
