import type { Context, Middleware } from 'koa';
import { UnauthorizedError } from '../errors.js';
import type { IdentityModels } from '../identity/models.js';
import type { Users } from '../identity/users.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';

/**
 * Loads the signed-in user (and the permissions of their roles) into ctx.state.user. A session opened under another
 * password (its credentials stamp differs) ends: changing or resetting a password signs the user out everywhere.
 */
export function loadSignedInUser(models: IdentityModels, users: Users): Middleware {
  return async (ctx, next) => {
    const userId = ctx.session?.userId as string | undefined;
    if (userId) {
      const user = await models.User.findById(userId).lean();
      const stamp = user?.credentialsStamp ?? '';
      if (user && stamp === (ctx.session!.credentialsStamp ?? '')) {
        const signedIn: BackOfficeUser = { id: userId, email: user.email, name: user.name ?? '', permissions: await users.permissionsOf(userId), credentialsStamp: stamp };
        ctx.state.user = signedIn;
      } else {
        ctx.session = null;
      }
    }
    await next();
  };
}

/** The signed-in user of a route behind requireSignedIn or a page guard; 401 anywhere else. */
export function signedInUser(ctx: Context): BackOfficeUser {
  if (!ctx.state.user) throw new UnauthorizedError('Sign in first');
  return ctx.state.user;
}

/** JSON routes: 401 for anonymous callers. */
export const requireSignedIn: Middleware = async (ctx, next) => {
  signedInUser(ctx);
  await next();
};
