import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { isDatabaseUnavailable } from '../db/databaseUnavailable.js';
import { HttpError, OAuthError, ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../log/createLogger.js';
import { redactUrl } from '../log/redactUrl.js';

/** Shapes the JSON body of an error for the API a route imitates. */
export type ErrorFormat = (error: HttpError, ctx: Context) => unknown;

/** The OpenVeo web-service shape, used by the core and by default. */
export const openveoErrorFormat: ErrorFormat = (error, ctx) => ({
  error: {
    code: error.code,
    module: ctx.state.module ?? 'core',
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  },
});

/** Lets a router choose the error body shape of the system it imitates, and name its module. */
export function useErrorFormat(format: ErrorFormat, module?: string): Middleware {
  return async (ctx, next) => {
    ctx.state.errorFormat = format;
    if (module) ctx.state.module = module;
    await next();
  };
}

interface ExposedError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message: string;
  name?: string;
  type?: string;
  code?: unknown;
}

/** About one restart of the embedded database, which the platform does by itself. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Turns anything thrown below into an HttpError: known client errors keep their status, an unreachable
 * database is a 503 to retry, the rest is a 500.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isDatabaseUnavailable(error)) {
    return new ServiceUnavailableError(DATABASE_RETRY_AFTER_SECONDS, 'The database is unavailable for the moment: try again in a few seconds');
  }
  const e = error as ExposedError;
  const status = e?.status ?? e?.statusCode;
  if (status && status >= 400 && status < 500 && e.expose !== false) {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return new HttpError(status, code, e.message);
  }
  if (e?.name === 'CastError' || e?.name === 'ValidationError') return new HttpError(400, 'bad_request', e.message);
  if (e?.code === 'ENOSPC' || e?.code === 'EDQUOT') return new HttpError(507, 'insufficient_storage', 'Not enough storage space on the server now; try again later');
  return new HttpError(500, 'internal_error', 'Internal server error');
}

/** How a process answers errors to browsers (the back office): JSON stays the answer for every other client. */
export interface BrowserErrors {
  /** Whether this request is a page's (not an API's). */
  applies(ctx: Context): boolean;
  /** Where to send a browser that needs to sign in, or undefined to show the error page instead. */
  loginRedirect(ctx: Context): string | undefined;
  page(ctx: Context, error: HttpError): string;
}

/** A browser navigating: it ranks text/html above JSON. Clients that send no Accept, JSON or anything else get JSON. */
const prefersHtml = (ctx: Context) => !!ctx.get('Accept') && ctx.accepts('json', 'html') === 'html';

/**
 * tus-js-client starts an upload over from byte 0 when its resume HEAD fails with anything but 423 Locked,
 * which it retries: a resume that cannot be checked for now answers 423, so the upload keeps its offset.
 */
function forTusResume(error: HttpError, ctx: Context): HttpError {
  if (!(error instanceof ServiceUnavailableError) || ctx.method !== 'HEAD' || !ctx.get('Tus-Resumable')) return error;
  return new ServiceUnavailableError(error.retryAfterSeconds, error.message, 423, 'locked');
}

function withoutInternals(error: HttpError, requestId: string): HttpError {
  const message = `Internal server error (request ${requestId})`;
  return error instanceof OAuthError ? new OAuthError(500, error.code, message) : new HttpError(500, error.code, message);
}

export function errorHandler(logger: Logger, browser?: BrowserErrors): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // respond === false: a library (tus…) wrote the response itself.
      if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) throw new HttpError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
    } catch (error) {
      let httpError = forTusResume(toHttpError(error), ctx);
      if (ctx.respond === false || ctx.res.headersSent) {
        logger.error('request failed after its response started', { method: ctx.method, url: redactUrl(ctx.url), error });
        ctx.res.destroy();
        return;
      }
      if (httpError.status >= 500) {
        // The client gets an id to quote, the log gets the cause: a 500's own message is internal (addresses, drivers).
        const requestId = randomUUID();
        logger.error('request failed', { requestId, method: ctx.method, url: redactUrl(ctx.url), error });
        ctx.set('X-Request-Id', requestId);
        // A 500 a route raised on purpose says what clients may know (OpenVidu's IPCAM error); any other is internal.
        const deliberate = error instanceof HttpError && !['internal_error', 'server_error'].includes(error.code);
        if (httpError.status === 500 && !deliberate) httpError = withoutInternals(httpError, requestId);
      }
      ctx.status = httpError.status;
      if (browser && !(httpError instanceof OAuthError) && prefersHtml(ctx) && browser.applies(ctx)) {
        const login = httpError.status === 401 ? browser.loginRedirect(ctx) : undefined;
        if (login) {
          ctx.redirect(login);
          return;
        }
        ctx.type = 'html';
        ctx.body = browser.page(ctx, httpError);
        return;
      }
      const format = ctx.state.errorFormat ?? openveoErrorFormat;
      ctx.body = httpError instanceof OAuthError ? httpError.toBody() : format(httpError, ctx);
      const { retryAfterSeconds } = httpError as { retryAfterSeconds?: number };
      if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(retryAfterSeconds));
      if (httpError.status === 401 && ctx.state.authChallenge) ctx.set('WWW-Authenticate', ctx.state.authChallenge);
    }
  };
}
