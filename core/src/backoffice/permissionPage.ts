import type { Middleware } from 'koa';
import { Users } from '../identity/users.js';
import { backOfficePage } from './navigation.js';

/** Pages redirect anonymous visitors to the login page, and answer 403 without the page's permission. */
export function permissionPage(permission: string | undefined): Middleware {
  return async (ctx, next) => {
    const { user } = ctx.state;
    if (!user) return ctx.redirect(`/be/login?next=${encodeURIComponent(ctx.path)}`);
    if (permission && !Users.grants(user.permissions, permission)) {
      ctx.status = 403;
      ctx.type = 'html';
      ctx.body = backOfficePage(ctx, { title: 'Forbidden', body: '<p>You do not have the permission to see this page.</p>' });
      return;
    }
    await next();
  };
}
