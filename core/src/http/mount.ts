import type Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

/**
 * Mounts a router below a path prefix, behind guards that run for every request under the prefix
 * (so an unauthenticated caller cannot tell which routes exist).
 */
export function mount(prefix: string, router: Router, guards: Middleware[] = []): Middleware {
  router.prefix(prefix);
  const chain = compose([...guards, router.routes() as Middleware, router.allowedMethods() as Middleware]);
  return async (ctx, next) => {
    if (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`)) return chain(ctx, next);
    return next();
  };
}
