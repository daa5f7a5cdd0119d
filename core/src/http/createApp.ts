import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from '../log/createLogger.js';
import { deferBodyError } from './deferredBodyError.js';
import type { Connection } from 'mongoose';
import { errorHandler, type BrowserErrors } from './errorHandler.js';
import { outageGuard } from './outageGuard.js';

const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AppOptions {
  logger: Logger;
  trustProxy: boolean;
  maxBodyBytes: number;
  keys?: string[];
  /** HTML error pages and the login redirect for browsers; without it every error is JSON. */
  browserErrors?: BrowserErrors;
  /** The database connection: requests waiting on it when it drops are answered 503 (outageGuard). */
  database?: Connection;
}

export function createApp({ logger, trustProxy, maxBodyBytes, keys, browserErrors, database }: AppOptions): Koa {
  const app = new Koa({ proxy: trustProxy, keys });
  app.silent = true;
  // The request log costs a frame on every request: only where its level is on (levels are set at start).
  if (logger.isLevelEnabled('http')) {
    app.use(async (ctx, next) => {
      const started = process.hrtime.bigint();
      try {
        await next();
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.http(`${ctx.method} ${ctx.path} ${ctx.status} ${ms.toFixed(1)}ms`);
      }
    });
  }
  app.use(errorHandler(logger, browserErrors));
  if (database) app.use(outageGuard(database));
  const limit = `${maxBodyBytes}b`;
  const parseBody = bodyParser({ enableTypes: ['json', 'form'], parsedMethods: [...PARSED_METHODS], jsonLimit: limit, formLimit: limit, encoding: 'utf-8', onError: deferBodyError });
  // The parser is an async frame of its own even for the GETs it skips, the web service's most frequent requests.
  app.use((ctx, next) => (PARSED_METHODS.has(ctx.method) ? parseBody(ctx, next) : next()));
  return app;
}
