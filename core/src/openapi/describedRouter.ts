import Router from '@koa/router';
import type { Middleware } from 'koa';
import { koaPath, type ApiDescription, type OperationSpec } from './apiDescription.js';

export type DescribedRoute = (operation: OperationSpec, ...handlers: Middleware[]) => void;

/**
 * A router below `prefix` whose routes are described in `api` as they are registered, paths written below the prefix.
 * A router mounted a second time elsewhere (publish's admin routes in the back office) is built again without `api`:
 * its routes are registered only.
 */
export function describedRouter(prefix: string, api: ApiDescription | undefined): { router: Router; route: DescribedRoute } {
  const router = new Router(prefix ? { prefix } : undefined);
  const route: DescribedRoute = (operation, ...handlers) => {
    api?.describe({ ...operation, path: `${prefix}${operation.path}`.replace(/(.)\/$/, '$1') });
    router.register(koaPath(operation.path), [operation.method], handlers as Parameters<Router['register']>[2]);
  };
  return { router, route };
}
