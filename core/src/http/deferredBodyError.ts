import type { Context } from 'koa';
import { BadRequestError } from '../errors.js';
import { toHttpError } from './errorHandler.js';

/**
 * The body parser's onError: the body is parsed before routing, when the API that will answer (and so the shape of
 * its error body) is not known yet; the error is raised where the body is first read instead. A body that cannot be
 * decoded (a gzip that is not one…) is the client's fault: a 400, never the 500 of the zlib error.
 */
export function deferBodyError(error: unknown, ctx: Context): void {
  const reported = toHttpError(error);
  const clientError = reported.status < 500 ? reported : new BadRequestError('The request body could not be decoded');
  Object.defineProperty(ctx.request, 'body', {
    configurable: true,
    get() {
      throw clientError;
    },
    set(value: unknown) {
      Object.defineProperty(ctx.request, 'body', { configurable: true, writable: true, value });
    },
  });
}
