import type Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { HttpError } from '../errors.js';

/**
 * The router's 405 and 501 (it sets the status and the Allow header, and leaves the body to Koa's plain text) thrown
 * instead, so the error handler answers them as JSON in the shape of the API the router belongs to. Its 501 is a method
 * it knows nothing of (TRACE, CONNECT…) on a path it serves: for that path, a method not allowed like any other.
 */
export function allowedMethodsAsErrors(router: Router): Middleware {
  const allowedMethods = router.allowedMethods() as Middleware;
  return async (ctx, next) => {
    await allowedMethods(ctx, next);
    if ((ctx.status === 405 || ctx.status === 501) && ctx.body == null) {
      const matched = (ctx as { matched?: { methods: string[] }[] }).matched ?? [];
      const allow = ctx.response.get('Allow') || [...new Set(matched.flatMap((layer) => layer.methods))].join(', ');
      if (allow) ctx.set('Allow', allow);
      throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}${allow ? `: use ${allow}` : ''}`);
    }
  };
}

/**
 * Mounts a plugin's route groups (routers carrying their prefix and their own guards) behind guards that run for
 * every request under the prefix, so an unauthenticated caller cannot tell which routes exist.
 */
export function mountGroups(prefix: string, groups: Router[], guards: Middleware[] = []): Middleware {
  if (!groups.length) return (_ctx, next) => next();
  const chain = compose([...guards, ...groups.flatMap((router) => [router.routes() as Middleware, allowedMethodsAsErrors(router)])]);
  return (ctx, next) => (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`) ? chain(ctx, next) : next());
}
