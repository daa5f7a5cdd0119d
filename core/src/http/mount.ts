import type Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { HttpError } from '../errors.js';

/**
 * The router's 405 and 501 (it sets the status and the Allow header, and leaves the body to Koa's plain text) thrown
 * instead, so the error handler answers them as JSON in the shape of the API the router belongs to.
 */
export function allowedMethodsAsErrors(router: Router): Middleware {
  const allowedMethods = router.allowedMethods() as Middleware;
  return async (ctx, next) => {
    await allowedMethods(ctx, next);
    if ((ctx.status === 405 || ctx.status === 501) && ctx.body == null) {
      const allow = ctx.response.get('Allow');
      throw ctx.status === 405
        ? new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}${allow ? `: use ${allow}` : ''}`)
        : new HttpError(501, 'not_implemented', `${ctx.method} is not implemented`);
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
  return async (ctx, next) => {
    if (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`)) return chain(ctx, next);
    return next();
  };
}
