import type { Middleware } from 'koa';
import { koaPath, Router, type ApiDescription, type OperationSpec } from '@mediahost/core';

export type DescribedRoute = (operation: OperationSpec, ...handlers: Middleware[]) => void;

/**
 * A router below `prefix` whose routes are described in the publish document as they are registered. The back office
 * mounts some of the same routers again: there `api` is absent and the routes are registered only.
 */
export function describedRouter(prefix: string, api: ApiDescription | undefined): { router: Router; route: DescribedRoute } {
  const router = new Router(prefix ? { prefix } : undefined);
  const route: DescribedRoute = (operation, ...handlers) => {
    api?.describe({ ...operation, path: `${prefix}${operation.path}`.replace(/(.)\/$/, '$1') });
    router.register(koaPath(operation.path), [operation.method], handlers as Parameters<Router['register']>[2]);
  };
  return { router, route };
}

/** The media types VideoCMS's front end posts its fields as, beside JSON. */
export const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
