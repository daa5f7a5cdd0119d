import type { Context } from 'koa';
import { OAuthError, type Authenticator, type BackOfficeUser, type PluginAuth, type Principal } from '@mediahost/core';
import type { ApiKeyDoc } from '../models/apiKey.js';
import { isApiKey, type ApiKeys } from './apiKeys.js';
import { InvalidUserTokenError, looksLikeJwt, UserTokens, type VerifiedClaims } from './userTokens.js';

export const JWT_SCHEME = 'videocms-jwt';
export const API_KEY_SCHEME = 'videocms-apikey';

/** The user's principal: everything they create is theirs ("user:<id>"), with the plugin's scope. */
export function userPrincipal(scheme: string, user: BackOfficeUser): Principal {
  return { applicationId: '', clientId: '', scopes: ['publish'], scheme, subject: `user:${user.id}` };
}

/** The back-office user id of a user principal, undefined for an application's. */
export function userIdOf(principal: Principal | undefined): string | undefined {
  return principal?.subject.startsWith('user:') ? principal.subject.slice('user:'.length) : undefined;
}

export function bearerCredential(ctx: Context): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'))?.[1];
}

/** What a credential of the VideoCMS schemes stands for, checked without side effects. */
export type UserCredential =
  | { kind: 'jwt'; user: BackOfficeUser; claims: VerifiedClaims }
  | { kind: 'apikey'; user: BackOfficeUser; key: ApiKeyDoc }
  | { kind: 'invalid'; reason: string }
  | { kind: 'other' };

/**
 * Only the exact key format counts as a key: the core's OAuth tokens are random base64url, and about one in 260,000
 * starts with "ak_"; those must still reach the OAuth check.
 */
export async function checkCredential(credential: string, tokens: UserTokens, keys: ApiKeys, auth: PluginAuth): Promise<UserCredential> {
  if (isApiKey(credential)) {
    const key = await keys.find(credential);
    const user = key && (await auth.findUser(key.owner));
    return key && user ? { kind: 'apikey', user, key } : { kind: 'invalid', reason: 'Invalid or Expired API Key' };
  }
  if (!looksLikeJwt(credential)) return { kind: 'other' };
  try {
    const claims = await tokens.verify(credential);
    const user = await auth.findUser(claims.userid);
    // A token issued before the user's last password change is void.
    return user && user.credentialsStamp === claims.stamp ? { kind: 'jwt', user, claims } : { kind: 'invalid', reason: 'Invalid JWT Token' };
  } catch (error) {
    if (error instanceof InvalidUserTokenError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}

/**
 * VideoCMS's `Bearer <jwt>` and `Bearer ak_…` on the web service, for every /publish route: a valid one is its user's
 * principal; a bad one is a 401; any other Bearer token is left to the core's OAuth check. A key's use is audited.
 */
export function userAuthenticator(tokens: UserTokens, keys: ApiKeys, auth: PluginAuth): Authenticator {
  return async (ctx) => {
    const credential = bearerCredential(ctx);
    if (!credential) return undefined;
    const checked = await checkCredential(credential, tokens, keys, auth);
    switch (checked.kind) {
      case 'other':
        return undefined;
      case 'invalid':
        ctx.state.authChallenge = 'Bearer realm="mediahost", error="invalid_token"';
        throw new OAuthError(401, 'invalid_token', checked.reason);
      case 'apikey':
        await keys.recordUse(checked.key, { method: ctx.method, path: ctx.path, ip: ctx.ip });
        return userPrincipal(API_KEY_SCHEME, checked.user);
      case 'jwt':
        return userPrincipal(JWT_SCHEME, checked.user);
    }
  };
}
