import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { TooManyRequestsError } from '../errors.js';

export interface ThrottleLimits {
  maxFailures: number;
  failureWindowSeconds: number;
}

interface LoginFailureDoc {
  _id: string;
  /** "account:<email>" or "address:<client address>". */
  key: string;
  at: Date;
  expiresAt: Date;
}

/**
 * One document per failed login and per key, counted over the window: FerretDB does not make $inc or conditional
 * updates atomic, but inserts are, and the database makes the count the same for every process.
 */
const loginFailureSchema = new Schema<LoginFailureDoc>({
  _id: { type: String, required: true },
  key: { type: String, required: true },
  at: { type: Date, required: true },
  expiresAt: { type: Date, required: true, index: true },
});
loginFailureSchema.index({ key: 1, at: 1 });

/**
 * Failed logins per account and per client address, shared by every process and every login route: past the limit
 * the next attempt is refused (429) whatever the password. A success clears its own account's failures only, never
 * the address's nor another account's.
 */
export class LoginThrottle {
  private readonly Failure: Model<LoginFailureDoc>;

  constructor(
    connection: Connection,
    private readonly now: () => number = Date.now,
  ) {
    this.Failure = connection.model<LoginFailureDoc>('LoginFailure', loginFailureSchema, 'core_login_failures');
  }

  init(): Promise<void> {
    return this.Failure.init().then(() => undefined);
  }

  /** Runs `check` (the credentials check: a user or undefined) unless the account or the address failed too often. */
  async guard<T>(account: string, address: string, limits: ThrottleLimits, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = this.now();
    const windowMs = limits.failureWindowSeconds * 1000;
    const accountKey = `account:${account.trim().toLowerCase()}`;
    const keys = [accountKey, `address:${address}`];
    const attempt = randomUUID();
    const ids = keys.map((key) => `${attempt}|${key}`);
    // Counted as a failure before the check, so that guesses sent in parallel count against each other.
    await this.Failure.insertMany(keys.map((key, i) => ({ _id: ids[i]!, key, at: new Date(now), expiresAt: new Date(now + windowMs) })));
    let result: T | undefined;
    try {
      const retryAfter = await this.retryAfterSeconds(keys, ids, limits, now);
      if (retryAfter) throw new TooManyRequestsError(retryAfter);
      result = await check();
    } catch (error) {
      await this.Failure.deleteMany({ _id: { $in: ids } });
      throw error;
    }
    if (result === undefined) {
      await this.Failure.deleteMany({ expiresAt: { $lte: new Date(now) } });
      return undefined;
    }
    await this.Failure.deleteMany({ _id: { $in: ids } });
    await this.Failure.deleteMany({ key: accountKey });
    return result;
  }

  /**
   * The failed logins of the account or of the address over the window, whichever has more: what an API asks before
   * it wants a captcha "after failures". A success has cleared its account's, never the address's.
   */
  async recentFailures(account: string, address: string, windowSeconds: number): Promise<number> {
    const since = new Date(this.now() - windowSeconds * 1000);
    const counts = await Promise.all([`account:${account.trim().toLowerCase()}`, `address:${address}`].map((key) => this.Failure.countDocuments({ key, at: { $gt: since } })));
    return Math.max(...counts);
  }

  /** Seconds until the first key over its limit falls back below it, or 0 when none is over. */
  private async retryAfterSeconds(keys: string[], ownIds: string[], { maxFailures, failureWindowSeconds }: ThrottleLimits, now: number): Promise<number> {
    const windowMs = failureWindowSeconds * 1000;
    for (const key of keys) {
      const earlier = await this.Failure.find({ key, at: { $gt: new Date(now - windowMs) }, _id: { $nin: ownIds } })
        .sort({ at: 1 })
        .lean();
      if (earlier.length < maxFailures) continue;
      const leavingAt = earlier[earlier.length - maxFailures]!.at.getTime() + windowMs;
      return Math.max(1, Math.ceil((leavingAt - now) / 1000));
    }
    return 0;
  }
}
