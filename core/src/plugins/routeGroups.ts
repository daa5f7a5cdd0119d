import Router from '@koa/router';
import type { Middleware } from 'koa';
import { requireScope } from '../auth/bearer.js';
import { requirePermission } from '../auth/permissions.js';
import type { PermissionGuard, PluginRoutes, ScopeGuard } from './contract.js';


export type Surface = 'webService' | 'webServicePublic' | 'backOffice' | 'public';

/** The prefix the core owns for a plugin on each surface. */
export function surfacePrefix(surface: Surface, plugin: string): string {
  return surface === 'backOffice' ? `/be/${plugin}` : `/${plugin}`;
}

/** A CORS preflight carries no credentials: like the core's authentication, a group guard lets it through. */
function exceptPreflight(guard: Middleware): Middleware {
  return (ctx, next) => (ctx.method === 'OPTIONS' ? next() : guard(ctx, next));
}

/** The groups a plugin declared through ctx.routes, per surface, in declaration order. */
export class RouteGroups implements PluginRoutes {
  readonly groups: Record<Surface, Router[]> = { webService: [], webServicePublic: [], backOffice: [], public: [] };

  /** `scopes`: the ones the plugin declares, the only ones its groups may require (a token cannot get another). */
  constructor(
    private readonly plugin: string,
    private readonly scopes: string[],
  ) {}

  webService(guard: ScopeGuard): Router {
    if (!this.scopes.includes(guard.scope)) throw new Error(`its web-service routes require the scope "${guard.scope}", which it does not declare in "scopes"`);
    return this.add('webService', [exceptPreflight(requireScope(guard.scope))]);
  }

  webServicePublic(): Router {
    return this.add('webServicePublic', []);
  }

  backOffice(guard?: PermissionGuard): Router {
    return this.add('backOffice', guard ? [requirePermission(guard.permission)] : []);
  }

  public(): Router {
    return this.add('public', []);
  }

  private add(surface: Surface, guards: Middleware[]): Router {
    // The prefix is the router's own from the start, so routers nested in it later get it too.
    const router = new Router({ prefix: surfacePrefix(surface, this.plugin) });
    // Registered before any route: the router runs them first, and only for requests one of its routes answers,
    // so another group's routes keep their own guards.
    if (guards.length) router.use(...guards);
    this.groups[surface].push(router);
    return router;
  }
}
