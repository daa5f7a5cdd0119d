import type { LifecycleHooks, Logger } from '@mediahost/core';
import type { Claims } from '../models/claims.js';
import type { Sso } from './sso.js';

interface SweepDeps {
  sso: Sso;
  claims: Claims;
  /** The claim kind of the WEV signatures already accepted. */
  signatureClaim: string;
  signatureWindowSeconds: number;
  logger: Logger;
}

/** Purges expired browser sessions and the claims of signatures that can no longer be replayed; one process is enough. */
export function expiredAccessSweep({ sso, claims, signatureClaim, signatureWindowSeconds, logger }: SweepDeps): LifecycleHooks {
  let timer: NodeJS.Timeout | undefined;
  // a signature is valid until its Date + window, and its Date is at most a window before its first use
  const signaturesSeenBefore = () => new Date(Date.now() - 2 * signatureWindowSeconds * 1000);
  return {
    start() {
      timer = setInterval(
        () =>
          void Promise.all([sso.purgeExpired(), claims.purge(signatureClaim, signaturesSeenBefore())]).catch((error: unknown) =>
            logger.warn('could not purge expired editor sessions and signatures', { error }),
          ),
        Math.min(3600_000, signatureWindowSeconds * 1000),
      );
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
