import type { Middleware } from 'koa';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { Users } from '../identity/users.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';

/** Whether the user's roles grant the permission, by name or by granting every permission (the admin role). */
export function grantsPermission(user: BackOfficeUser, permission: string): boolean {
  return Users.grants(user.permissions, permission);
}

/** Back-office route guard: the signed-in user's roles must grant the permission. */
export function requirePermission(permission: string): Middleware {
  return async (ctx, next) => {
    const { user } = ctx.state;
    if (!user) throw new UnauthorizedError('Sign in first');
    if (!Users.grants(user.permissions, permission)) throw new ForbiddenError(`This requires the "${permission}" permission`);
    await next();
  };
}

/** Back-office route guard: the signed-in user's roles must grant one of the permissions. */
export function requireAnyPermission(permissions: string[]): Middleware {
  return async (ctx, next) => {
    const { user } = ctx.state;
    if (!user) throw new UnauthorizedError('Sign in first');
    if (!permissions.some((permission) => Users.grants(user.permissions, permission))) {
      throw new ForbiddenError(`This requires one of the permissions ${permissions.map((p) => `"${p}"`).join(', ')}`);
    }
    await next();
  };
}
