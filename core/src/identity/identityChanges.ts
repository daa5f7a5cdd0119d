import { ChangeFeed, changeModels, type ChangeListener } from '../changes/changeFeed.js';
import type { Logger } from '../log/createLogger.js';
import type { IdentityModels } from './models.js';

export interface IdentityChange {
  kind: 'application' | 'token';
  applicationId: string;
  /** For a revoked token: its id, and when it would have expired. */
  jti?: string;
  expiresAt?: Date;
}

export type IdentityChangeListener = ChangeListener<IdentityChange>;

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Application changes and token revocations, shared by every process on the core's change feed: a deletion,
 * a secret renewal or a revocation made in one process holds in all of them within a poll, and a valid request
 * never waits on the database. Revoked token ids are also kept apart until they would have expired, for the
 * processes that start later.
 */
export class IdentityChanges {
  private readonly feed: ChangeFeed<IdentityChange>;
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    private readonly models: IdentityModels,
    logger: Logger,
    pollMs = 250,
  ) {
    this.feed = new ChangeFeed(changeModels(models.User.db), 'core.identity', logger, pollMs);
  }

  listen(listener: IdentityChangeListener): void {
    this.feed.listen(listener);
  }

  /** Records a change for every process, and applies it in this one at once. */
  async publish(change: IdentityChange): Promise<void> {
    if (change.kind === 'token' && change.jti && change.expiresAt) {
      await this.models.RevokedToken.updateOne({ _id: change.jti }, { $set: { applicationId: change.applicationId, expiresAt: change.expiresAt } }, { upsert: true });
    }
    await this.feed.publish(change);
  }

  /** The revocations in force: tokens revoked that have not expired yet. */
  async activeRevocations(): Promise<IdentityChange[]> {
    const revoked = await this.models.RevokedToken.find({ expiresAt: { $gt: new Date() } }).lean();
    return revoked.map((token) => ({ kind: 'token' as const, applicationId: token.applicationId, jti: token._id, expiresAt: token.expiresAt }));
  }

  start(): void {
    this.feed.start();
    const purge = () => void this.models.RevokedToken.deleteMany({ expiresAt: { $lt: new Date() } }).catch(() => undefined);
    this.purgeTimer = setInterval(purge, PURGE_EVERY_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.feed.stop();
  }
}
