import OAuth2Server from '@node-oauth/oauth2-server';
import type { Middleware } from 'koa';
import { HttpError, OAuthError } from '../errors.js';
import type { Logger } from '../log/createLogger.js';
import type { ApplicationDirectory } from '../identity/applicationDirectory.js';
import type { AccessTokens } from './accessTokens.js';
import { oauthModel } from './oauthModel.js';
import { tokenRequestSchema, type TokenResponse } from './oauthSchemas.js';

/** The body's parameters, checked by the schema the document shows: an error is OAuth's invalid_request. */
function tokenParameters(ctx: Parameters<Middleware>[0]): Record<string, unknown> {
  let body: unknown;
  try {
    body = ctx.request.body ?? {};
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) throw new OAuthError(400, 'invalid_request', error.message);
    throw error;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OAuthError(400, 'invalid_request', 'The request body must be a form or a JSON object');
  const parsed = tokenRequestSchema.safeParse(body);
  if (!parsed.success) throw new OAuthError(400, 'invalid_request', parsed.error.issues[0]!.message);
  return parsed.data;
}

/**
 * POST /token, client-credentials grant. Clients send the body as a form (RFC 6749) or as JSON
 * (OpenVeo's official client does), so both are parsed upstream and handed over as a form.
 */
export function tokenRoute(directory: ApplicationDirectory, tokens: AccessTokens, accessTokenLifetime: number, logger: Logger): Middleware {
  const server = new OAuth2Server({
    model: oauthModel(directory, tokens, accessTokenLifetime),
    accessTokenLifetime,
    requireClientAuthentication: { client_credentials: true },
  });

  return async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    const body = tokenParameters(ctx);
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
      } satisfies TokenResponse;
    } catch (error) {
      if (error instanceof OAuth2Server.OAuthError) {
        if (error.name === 'server_error') {
          // The library wraps unexpected errors with their internal text: kept as the cause for the log, never sent.
          throw Object.assign(new OAuthError(500, 'server_error', 'Internal server error'), { cause: (error as { inner?: unknown }).inner ?? error });
        }
        if (error.code === 401) ctx.state.authChallenge = 'Basic realm="mediahost"';
        throw new OAuthError(error.code, error.name, error.message);
      }
      throw error;
    }
  };
}
