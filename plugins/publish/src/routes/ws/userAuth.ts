import type { Context } from 'koa';
import { BadRequestError, describedRouter, ForbiddenError, z, type ApiDescription, type BackOfficeUser, type PluginAuth, type Router, type ThrottleLimits } from '@mediahost/core';
import type { ApiKeys } from '../../auth/apiKeys.js';
import { bearerCredential, checkCredential } from '../../auth/userAuthenticator.js';
import { rfc3339, type UserTokens } from '../../auth/userTokens.js';
import { FORM_TYPES } from './formTypes.js';
import { multipartFields } from './multipartFields.js';
import { fields } from './videocmsInput.js';
import { loginSchema, tokenCheckSchema } from './videocmsSchemas.js';

/** A token is renewed only in its last minutes, as VideoCMS does. */
const REFRESH_WINDOW_MS = 5 * 60_000;
const ALL_PERMISSIONS = '*';

const loginInput = z.object({ username: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024), altcha: z.string().optional() });

/** A login's captcha check for this account from this address: throws the refusal when one is asked for and the field does not solve it. */
export type LoginCaptcha = (solution: string | undefined, account: string, address: string) => Promise<void>;

/**
 * VideoCMS's /api/auth below /publish/api, public on the web service: login with a back-office user's email and
 * password for a JWT, check a JWT or API key, refresh a JWT. The two last read the token themselves and answer 403.
 */
export function userAuthRoutes(tokens: UserTokens, keys: ApiKeys, limits: ThrottleLimits, auth: PluginAuth, loginCaptcha: LoginCaptcha, api: ApiDescription): Router {
  const { router, route } = describedRouter('/api/auth', api);
  // Public routes: /check and /refresh read the token themselves, and refuse with 403s of their own.
  const issued = { description: 'The token', schema: loginSchema };
  const issue = async (user: BackOfficeUser) => {
    const { token, expiresAt } = await tokens.issue({ userid: user.id, username: user.email, admin: user.permissions.has(ALL_PERMISSIONS), stamp: user.credentialsStamp });
    return { exp: rfc3339(expiresAt), token };
  };
  const credentialOf = (ctx: Context) => {
    const credential = bearerCredential(ctx);
    if (!credential) throw new ForbiddenError('No JWT Token');
    return credential;
  };

  route({ method: 'post', path: '/login', summary: "A login token (JWT) for a user's email and password", security: [], body: loginInput, bodyContentTypes: FORM_TYPES, responses: { 200: issued }, errors: [429] }, multipartFields, async (ctx) => {
    const { username, password, altcha } = fields(ctx, loginInput);
    // Before the password is tried: a script without a solved captcha does not get to guess at all.
    await loginCaptcha(altcha, username, ctx.ip);
    // Throttled per account and per address by the core, together with the back-office sign-in.
    const user = await auth.signIn(username, password, ctx.ip, limits);
    if (!user) {
      // One answer for an unknown user and a wrong password (VideoCMS tells them apart, which helps guessing).
      throw new BadRequestError('Wrong username or password');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await issue(user);
  });

  route({ method: 'get', path: '/check', summary: 'Checks a Bearer login token or API key', security: [], responses: { 200: { description: 'Whose it is, until when', schema: tokenCheckSchema } }, errors: [403] }, async (ctx) => {
    const checked = await checkCredential(credentialOf(ctx), tokens, keys, auth);
    if (checked.kind === 'jwt') ctx.body = { username: checked.claims.username, exp: rfc3339(checked.claims.expiresAt) };
    else if (checked.kind === 'apikey') ctx.body = { username: checked.user.email, is_api_key: true, exp: checked.key.expiresAt ? rfc3339(checked.key.expiresAt) : null };
    else throw new ForbiddenError(checked.kind === 'invalid' ? checked.reason : 'Invalid JWT Token');
  });

  route({ method: 'get', path: '/refresh', summary: 'A new login token for one in its last five minutes', security: [], responses: { 200: issued }, errors: [403] }, async (ctx) => {
    const credential = credentialOf(ctx);
    if (credential.startsWith('ak_')) throw new ForbiddenError('API Keys cannot be refreshed');
    const checked = await checkCredential(credential, tokens, keys, auth);
    if (checked.kind !== 'jwt') throw new ForbiddenError('Malformated jwt key');
    if (checked.claims.expiresAt.getTime() - Date.now() > REFRESH_WINDOW_MS) throw new ForbiddenError(`Wait until time to expire: ${rfc3339(checked.claims.expiresAt)}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await issue(checked.user);
  });

  return router;
}
