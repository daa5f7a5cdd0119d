/** A run given up on purpose: its runner is stopping, or lost the database and must let another runner take over. */
export class JobInterruptedError extends Error {
  override name = 'JobInterruptedError';
}

/** Conditions that pass by themselves: a full disk, a busy system, the database out of reach. */
const TRANSIENT_CODES = new Set(['ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ENOMEM', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
const DATABASE_AWAY = /^Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|PoolCleared|TopologyClosed)Error$|^MongooseServerSelectionError$/;
/** ffmpeg reports a full disk only in its own words. */
const TRANSIENT_MESSAGE = /No space left on device|Disk quota exceeded|buffering timed out|connection .* closed/i;

interface ErrorLike {
  name?: string;
  code?: unknown;
  message?: string;
  cause?: unknown;
}

/**
 * True when a failure says nothing about the job itself, so running it again later will likely succeed: it is retried
 * with backoff without counting as an attempt. Media errors (ffmpeg refusing the input, NotMediaError) are not.
 */
export function isTransientError(error: unknown): boolean {
  for (let e = error as ErrorLike | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as ErrorLike | undefined, depth++) {
    if (e instanceof JobInterruptedError || e.name === 'AbortError') return true;
    if (e.name === 'NotMediaError') return false;
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (e.name && DATABASE_AWAY.test(e.name)) return true;
    if (e.message && TRANSIENT_MESSAGE.test(e.message)) return true;
  }
  return false;
}
