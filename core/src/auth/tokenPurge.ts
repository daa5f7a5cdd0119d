import type { IdentityModels } from '../identity/models.js';
import type { Logger } from '../log/createLogger.js';

/** Deletes expired access tokens now and then, off the request path; returns a function that stops it. */
export function purgeExpiredTokens(models: IdentityModels, logger: Logger, everyMs = 10 * 60_000): () => void {
  const purge = () =>
    models.AccessToken.deleteMany({ expiresAt: { $lte: new Date() } }).then(
      ({ deletedCount }) => deletedCount && logger.debug(`purged ${deletedCount} expired access tokens`),
      (error: unknown) => logger.warn('could not purge expired access tokens', { error }),
    );
  void purge();
  const timer = setInterval(() => void purge(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
