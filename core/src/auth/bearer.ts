import type { Context, Middleware } from 'koa';
import { ForbiddenError, OAuthError } from '../errors.js';
import type { ApplicationDirectory, DirectoryApplication } from '../identity/applicationDirectory.js';
import type { AccessTokenClaims, AccessTokens } from './accessTokens.js';
import type { Principal } from '../identity/principal.js';

/**
 * A plugin's own auth scheme (WEV HMAC, OpenVidu Basic…): a principal, or undefined when the request is not its
 * scheme. It may answer at once (the Bearer check of a token seen before does) or later.
 */
export type Authenticator = (ctx: Context) => Principal | undefined | Promise<Principal | undefined>;

const CHALLENGE = 'Bearer realm="mediahost"';
/** The exact wording OpenVeo's official client keys on to renew its token by itself. */
export const TOKEN_NOT_FOUND = 'Token not found or expired';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The Bearer check, in memory: the token's signature and expiry, then the application as the directory knows it
 * now (still there, same secret generation, token not revoked). Its scopes are those the application still has.
 * A token seen before, of an application the directory holds, is checked without waiting on anything.
 */
export function bearerAuthenticator(tokens: AccessTokens, directory: ApplicationDirectory): Authenticator {
  const principalOf = (ctx: Context, claims: AccessTokenClaims | undefined, app: DirectoryApplication | undefined): Principal => {
    if (!claims || !app || claims.expiresAt * 1000 <= Date.now() || app.generation !== claims.generation || directory.isRevoked(claims.jti)) {
      ctx.state.authChallenge = `${CHALLENGE}, error="invalid_token"`;
      throw new OAuthError(401, 'invalid_token', TOKEN_NOT_FOUND);
    }
    const scopes = claims.scopes.filter((scope) => app.scopes.includes(scope));
    return { applicationId: app.id, clientId: app.clientId, scopes, scheme: 'bearer', subject: `app:${app.id}` };
  };
  const lookedUp = async (ctx: Context, token: string): Promise<Principal> => {
    const claims = await tokens.read(token);
    return principalOf(ctx, claims, claims && (directory.byId(claims.applicationId) ?? (await directory.findById(claims.applicationId))));
  };
  return (ctx) => {
    const match = BEARER.exec(ctx.get('Authorization'));
    if (!match) return undefined;
    const claims = tokens.remembered(match[1]!);
    const app = claims && directory.byId(claims.applicationId);
    return claims && app ? principalOf(ctx, claims, app) : lookedUp(ctx, match[1]!);
  };
}

/**
 * A plugin's web-service guard: one of the authenticators must accept the request (it becomes ctx.state.principal),
 * and the principal must hold one of the plugin's scopes. OPTIONS passes: preflight and protocol discovery (tus)
 * carry no credentials and change nothing.
 */
export function webServiceGuard(authenticators: Authenticator[], scopes: string[]): Middleware {
  const admit = (ctx: Context, principal: Principal | undefined, next: () => Promise<void>) => {
    if (!principal) {
      ctx.state.authChallenge = CHALLENGE;
      throw new OAuthError(401, 'invalid_request', 'Authorization: Bearer <access token> is required');
    }
    ctx.state.principal = principal;
    if (!scopes.some((scope) => principal.scopes.includes(scope))) {
      throw new ForbiddenError(`No authorization for this endpoint: requires one of the scopes ${scopes.join(', ')}`, 'insufficient_scope');
    }
    return next();
  };
  const authenticateFrom = async (ctx: Context, from: number, pending: Promise<Principal | undefined>): Promise<Principal | undefined> => {
    const principal = await pending;
    if (principal) return principal;
    for (const authenticator of authenticators.slice(from + 1)) {
      const answer = await authenticator(ctx);
      if (answer) return answer;
    }
    return undefined;
  };
  // Synchronous while the authenticators answer at once (a Bearer token seen before): no promise per request.
  return (ctx, next) => {
    if (ctx.method === 'OPTIONS') return next();
    for (let i = 0; i < authenticators.length; i++) {
      const answer = authenticators[i]!(ctx);
      if (answer instanceof Promise) return authenticateFrom(ctx, i, answer).then((principal) => admit(ctx, principal, next));
      if (answer) return admit(ctx, answer, next);
    }
    return admit(ctx, undefined, next);
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
