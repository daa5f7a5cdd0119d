import OAuth2Server from '@node-oauth/oauth2-server';
import type { Middleware } from 'koa';
import { OAuthError } from '../errors.js';
import type { IdentityModels } from '../identity/models.js';
import { oauthModel } from './oauthModel.js';

/**
 * POST /token, client-credentials grant. Clients send the body as a form (RFC 6749) or as JSON
 * (OpenVeo's official client does), so both are parsed upstream and handed over as a form.
 */
export function tokenRoute(models: IdentityModels, accessTokenLifetime: number): Middleware {
  const server = new OAuth2Server({
    model: oauthModel(models, accessTokenLifetime),
    accessTokenLifetime,
    requireClientAuthentication: { client_credentials: true },
  });

  return async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const request = new OAuth2Server.Request({
      method: ctx.method,
      query: {},
      headers: {
        authorization: ctx.get('Authorization'),
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Math.max(1, Number(ctx.get('content-length') || 0))),
      },
      body,
    });
    const response = new OAuth2Server.Response({ headers: {} });
    try {
      const token = await server.token(request, response, { allowExtendedTokenAttributes: false });
      ctx.body = {
        access_token: token.accessToken,
        token_type: 'Bearer',
        expires_in: Math.round(((token.accessTokenExpiresAt?.getTime() ?? Date.now()) - Date.now()) / 1000),
        scope: (token.scope ?? []).join(' '),
      };
    } catch (error) {
      if (error instanceof OAuth2Server.OAuthError) {
        if (error.code === 401) ctx.state.authChallenge = 'Basic realm="mediahost"';
        const status = error.name === 'server_error' ? 500 : error.code;
        // The model's own failure (the database away…) is kept as the cause, for the log only.
        throw Object.assign(new OAuthError(status, error.name, error.message), { cause: (error as { inner?: unknown }).inner ?? error });
      }
      throw error;
    }
  };
}
