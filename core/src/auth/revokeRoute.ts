import type { Middleware } from 'koa';
import { OAuthError } from '../errors.js';
import type { ApplicationDirectory } from '../identity/applicationDirectory.js';
import type { IdentityChanges } from '../identity/identityChanges.js';
import type { AccessTokens } from './accessTokens.js';
import { secretMatches } from '../credentials/secrets.js';
import { revokeRequestSchema } from './oauthSchemas.js';

function clientCredentials(authorization: string, body: Record<string, unknown>): { clientId?: unknown; clientSecret?: unknown } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!basic) return { clientId: body.client_id, clientSecret: body.client_secret };
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return {}; // malformed percent-encoding: no credentials, hence 401
  }
}

/**
 * POST /revoke (RFC 7009): an application revokes one of its access tokens; every process refuses it within a
 * poll of the identity changes. Answers 200 whatever the token was, as the RFC says, so it tells nothing.
 */
export function revokeRoute(directory: ApplicationDirectory, tokens: AccessTokens, changes: IdentityChanges): Middleware {
  return async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const { clientId, clientSecret } = clientCredentials(ctx.get('Authorization'), body);
    const app = typeof clientId === 'string' && clientId ? await directory.byClientId(clientId) : undefined;
    if (!app || typeof clientSecret !== 'string' || !secretMatches(clientSecret, app.secretHash)) {
      ctx.state.authChallenge = 'Basic realm="mediahost"';
      throw new OAuthError(401, 'invalid_client', 'Invalid client: client is invalid');
    }
    const parsed = revokeRequestSchema.safeParse(body);
    if (!parsed.success) throw new OAuthError(400, 'invalid_request', parsed.error.issues[0]!.message);
    const claims = await tokens.read(parsed.data.token);
    if (claims && claims.applicationId === app.id && claims.expiresAt * 1000 > Date.now()) {
      await changes.publish({ kind: 'token', applicationId: app.id, jti: claims.jti, expiresAt: new Date(claims.expiresAt * 1000) });
    }
    ctx.status = 200;
    ctx.body = {};
  };
}
