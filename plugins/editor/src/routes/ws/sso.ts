import { BadRequestError, describedRouter, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { Sso } from '../../services/sso.js';
import { optionalId } from './params.js';

const authSchema = z.object({ email: z.string().trim().email().optional(), userId: optionalId });

/** POST /api/3/sso/auth: a one-time login token for a user of the caller's instances. */
export function ssoRoutes({ access, sso, auth, api }: { access: Access; sso: Sso; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('', api);
  const answer = z.object({ loginToken: z.string(), userId: z.number().int() });
  route({ method: 'post', path: '/api/3/sso/auth', summary: 'A one-time login token for a user (by email or userId)', body: authSchema, responses: { 200: { description: 'The token', schema: answer } }, errors: [404] }, async (ctx) => {
    const input = parseInput(authSchema, ctx.request.body ?? {});
    if (input.userId === undefined && !input.email) throw new BadRequestError('Either email or userId is required');
    const principal = auth.principal(ctx)!;
    const user = input.userId !== undefined ? await access.user(principal, input.userId) : await access.userByEmail(principal, input.email!);
    ctx.body = { loginToken: await sso.loginToken(user), userId: user._id };
  });
  return router;
}
