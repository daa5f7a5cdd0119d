import { BadRequestError, parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { Sso } from '../../services/sso.js';
import { optionalId } from './params.js';

const authSchema = z.object({ email: z.string().trim().email().optional(), userId: optionalId });

/** POST /api/3/sso/auth: a one-time login token for a user of the caller's instances. */
export function ssoRoutes({ access, sso, auth }: { access: Access; sso: Sso; auth: PluginAuth }): Router {
  return new Router().post('/api/3/sso/auth', async (ctx) => {
    const input = parseInput(authSchema, ctx.request.body ?? {});
    if (input.userId === undefined && !input.email) throw new BadRequestError('Either email or userId is required');
    const principal = auth.principal(ctx)!;
    const user = input.userId !== undefined ? await access.user(principal, input.userId) : await access.userByEmail(principal, input.email!);
    ctx.body = { loginToken: await sso.loginToken(user), userId: user._id };
  });
}
