import type { Context, Middleware } from 'koa';
import { ForbiddenError, OAuthError } from '../errors.js';
import type { IdentityModels } from '../identity/models.js';
import type { Principal } from './principal.js';
import { hashSecret } from './secrets.js';

/** A plugin's own auth scheme (WEV HMAC, OpenVidu Basic…): a principal, or undefined when the request is not its scheme. */
export type Authenticator = (ctx: Context) => Promise<Principal | undefined>;

const CHALLENGE = 'Bearer realm="mediahost"';
/** The exact wording OpenVeo's official client keys on to renew its token by itself. */
export const TOKEN_NOT_FOUND = 'Token not found or expired';

export function bearerAuthenticator(models: IdentityModels): Authenticator {
  return async (ctx) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
    if (!match) return undefined;
    const token = await models.AccessToken.findById(hashSecret(match[1]!)).lean();
    if (!token || token.expiresAt.getTime() <= Date.now()) {
      ctx.state.authChallenge = `${CHALLENGE}, error="invalid_token"`;
      throw new OAuthError(401, 'invalid_token', TOKEN_NOT_FOUND);
    }
    return { applicationId: token.applicationId, clientId: token.clientId, scopes: token.scopes, scheme: 'bearer', subject: `app:${token.applicationId}` };
  };
}

/**
 * Requires one of the authenticators to accept the request; sets ctx.state.principal.
 * OPTIONS passes: preflight and protocol discovery (tus) carry no credentials and change nothing.
 */
export function authenticate(authenticators: Authenticator[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'OPTIONS') return next();
    for (const authenticator of authenticators) {
      const principal = await authenticator(ctx);
      if (principal) {
        ctx.state.principal = principal;
        return next();
      }
    }
    ctx.state.authChallenge = CHALLENGE;
    throw new OAuthError(401, 'invalid_request', 'Authorization: Bearer <access token> is required');
  };
}

/** Route guard: the caller's token must carry this scope. */
export function requireScope(scope: string): Middleware {
  return async (ctx, next) => {
    const principal = ctx.state.principal as Principal | undefined;
    if (!principal?.scopes.includes(scope)) {
      throw new ForbiddenError(`This endpoint requires the "${scope}" scope`, 'insufficient_scope');
    }
    await next();
  };
}

/** Mount guard: a plugin's web service is closed to tokens that hold none of its scopes. */
export function requireAnyScope(scopes: string[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'OPTIONS') return next();
    const principal = ctx.state.principal as Principal | undefined;
    if (!principal || !scopes.some((scope) => principal.scopes.includes(scope))) {
      throw new ForbiddenError(`No authorization for this endpoint: requires one of the scopes ${scopes.join(', ')}`, 'insufficient_scope');
    }
    await next();
  };
}
