import type { Context, Middleware } from 'koa';
import { ForbiddenError, OAuthError } from '../errors.js';
import type { ApplicationDirectory } from '../identity/applicationDirectory.js';
import type { AccessTokens } from './accessTokens.js';
import type { Principal } from '../identity/principal.js';

/** A plugin's own auth scheme (WEV HMAC, OpenVidu Basic…): a principal, or undefined when the request is not its scheme. */
export type Authenticator = (ctx: Context) => Promise<Principal | undefined>;

const CHALLENGE = 'Bearer realm="mediahost"';
/** The exact wording OpenVeo's official client keys on to renew its token by itself. */
export const TOKEN_NOT_FOUND = 'Token not found or expired';

/**
 * The Bearer check, in memory: the token's signature and expiry, then the application as the directory knows it
 * now (still there, same secret generation, token not revoked). Its scopes are those the application still has.
 */
export function bearerAuthenticator(tokens: AccessTokens, directory: ApplicationDirectory): Authenticator {
  return async (ctx) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
    if (!match) return undefined;
    const claims = await tokens.read(match[1]!);
    const app = claims && (directory.byId(claims.applicationId) ?? (await directory.findById(claims.applicationId)));
    if (!claims || !app || claims.expiresAt * 1000 <= Date.now() || app.generation !== claims.generation || directory.isRevoked(claims.jti)) {
      ctx.state.authChallenge = `${CHALLENGE}, error="invalid_token"`;
      throw new OAuthError(401, 'invalid_token', TOKEN_NOT_FOUND);
    }
    const scopes = claims.scopes.filter((scope) => app.scopes.includes(scope));
    return { applicationId: app.id, clientId: app.clientId, scopes, scheme: 'bearer', subject: `app:${app.id}` };
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
    const { principal } = ctx.state;
    if (!principal?.scopes.includes(scope)) {
      throw new ForbiddenError(`This endpoint requires the "${scope}" scope`, 'insufficient_scope');
    }
    return next();
  };
}

/** Mount guard: a plugin's web service is closed to tokens that hold none of its scopes. */
export function requireAnyScope(scopes: string[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'OPTIONS') return next();
    const { principal } = ctx.state;
    if (!principal || !scopes.some((scope) => principal.scopes.includes(scope))) {
      throw new ForbiddenError(`No authorization for this endpoint: requires one of the scopes ${scopes.join(', ')}`, 'insufficient_scope');
    }
    return next();
  };
}
