import type { LifecycleHooks, Logger } from '@mediahost/core';
import { removeStaleFiles } from './staleFiles.js';
import type { TusUploads } from './tusUploads.js';

/**
 * Hourly removal of the web service's expired tus uploads and of the direct uploads a crash left half received: the
 * web-service process receives them, so it is the one that sweeps them.
 */
export function uploadSweep(tus: TusUploads, incomingDir: string, expiryMs: number, logger: Logger): LifecycleHooks {
  let timer: NodeJS.Timeout | undefined;
  const sweep = () =>
    Promise.all([tus.cleanUpExpired(), removeStaleFiles(incomingDir, expiryMs)]).catch((error: unknown) => logger.warn('could not clean expired uploads', { error }));
  return {
    start() {
      void sweep();
      timer = setInterval(sweep, 3600_000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
