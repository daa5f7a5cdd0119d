import type { Context, Middleware } from 'koa';
import { ForbiddenError, type PluginAuth } from '@mediahost/core';
import { API_KEY_SCHEME, userIdOf } from './userAuthenticator.js';

/** Every permission: what the login's `admin` claim stands for, VideoCMS's admin. */
export const ADMIN_PERMISSION = '*';

/**
 * VideoCMS's IsAdmin: a user's JWT whose back-office roles grant every permission. An API key is refused even for an
 * admin (VideoCMS keeps keys off admin routes), and so is an application, which is nobody's admin.
 */
export function requireAdmin(auth: PluginAuth): Middleware {
  return async (ctx, next) => {
    await adminActor(ctx, auth);
    await next();
  };
}

/**
 * The admin's permissions, to act on the platform's users as them; throws VideoCMS's 403s for anyone else. In the
 * back office the same routes serve the signed-in user, who must be an admin as well.
 */
export async function adminActor(ctx: Context, auth: PluginAuth): Promise<ReadonlySet<string>> {
  const signedIn = auth.user(ctx);
  if (signedIn) {
    if (!signedIn.permissions.has(ADMIN_PERMISSION)) throw new ForbiddenError('Not Permitted');
    return signedIn.permissions;
  }
  const principal = auth.principal(ctx);
  if (principal?.scheme === API_KEY_SCHEME) throw new ForbiddenError('API Key Not Permitted for Admin Routes');
  const userId = userIdOf(principal);
  const user = userId ? await auth.findUser(userId) : undefined;
  if (!user?.permissions.has(ADMIN_PERMISSION)) throw new ForbiddenError('Not Permitted');
  return user.permissions;
}
