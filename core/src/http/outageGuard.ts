import type { Middleware } from 'koa';
import type { Connection } from 'mongoose';
import { DatabaseDownError } from '../db/failFast.js';

/** How long after the connection drops a request still waiting on it is answered 503 rather than left waiting. */
const GRACE_MS = 1000;

/**
 * An operation in flight when the database dies can wait on its connection well past any timeout the driver
 * applies (seen: over 10 s for a read sent as FerretDB was killed). Requests still running a second after the
 * connection dropped, and while it is still down, are answered 503 at once; their handlers finish unheard.
 * A request that already answered itself (tus, streams) is left alone.
 */
export function outageGuard(connection: Connection): Middleware {
  const pending = new Set<(error: Error) => void>();
  connection.on('disconnected', () => {
    setTimeout(() => {
      if (connection.readyState === 1) return;
      for (const fail of [...pending]) fail(new DatabaseDownError());
    }, GRACE_MS).unref();
  });
  return (ctx, next) =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        pending.delete(fail);
        finish();
      };
      const fail = (error: Error) => {
        if (ctx.respond === false || ctx.headerSent) return;
        settle(() => reject(error));
      };
      pending.add(fail);
      next().then(
        () => settle(resolve),
        (error: unknown) => settle(() => reject(error)),
      );
    });
}
