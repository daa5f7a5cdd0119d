import { randomBytes } from 'node:crypto';
import type { Logger } from '../log/createLogger.js';
import type { IdentityChangeDoc, IdentityModels } from './models.js';

export type IdentityChange = Pick<IdentityChangeDoc, 'kind' | 'applicationId'> & { jti?: string; expiresAt?: Date };

/** The log is read back this far: a change is seen by every live process long before it leaves the window. */
const LOG_WINDOW_MS = 60_000;
/** A process that could not poll for this long may have missed changes and reloads everything. */
const RESYNC_AFTER_MS = 30_000;
const PURGE_EVERY_MS = 60_000;
const HEAD = 'head';

export interface IdentityChangeListener {
  change(change: IdentityChange): void | Promise<void>;
  /** Changes may have been missed: reload everything. */
  resync(): Promise<void>;
}

/**
 * Application changes and token revocations, shared by every process through the database: each process polls
 * one document by _id (every `pollMs`), and reads the short change log only when that document moved. A deletion,
 * a secret renewal or a revocation made in one process holds in all of them within a poll, and a valid request
 * never waits on the database.
 */
export class IdentityChanges {
  private readonly listeners: IdentityChangeListener[] = [];
  private readonly seen = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private lastPoll = Date.now();
  private lastPurge = 0;
  private headStamp?: string;
  private polling?: Promise<void>;

  constructor(
    private readonly models: IdentityModels,
    private readonly logger: Logger,
    private readonly pollMs = 250,
  ) {}

  listen(listener: IdentityChangeListener): void {
    this.listeners.push(listener);
  }

  /** Records a change for every process, and applies it in this one at once. */
  async publish(change: IdentityChange): Promise<void> {
    const _id = randomBytes(12).toString('hex');
    this.seen.set(_id, Date.now());
    if (change.kind === 'token' && change.jti && change.expiresAt) {
      await this.models.RevokedToken.updateOne({ _id: change.jti }, { $set: { applicationId: change.applicationId, expiresAt: change.expiresAt } }, { upsert: true });
    }
    await this.models.IdentityChange.create({ _id, at: new Date(), ...change });
    // After the log entry: a process that sees the new head finds the entry.
    await this.models.IdentityHead.updateOne({ _id: HEAD }, { $set: { stamp: _id } }, { upsert: true });
    for (const listener of this.listeners) await listener.change(change);
  }

  /** The revocations in force: tokens revoked that have not expired yet. */
  async activeRevocations(): Promise<IdentityChange[]> {
    const revoked = await this.models.RevokedToken.find({ expiresAt: { $gt: new Date() } }).lean();
    return revoked.map((token) => ({ kind: 'token' as const, applicationId: token.applicationId, jti: token._id, expiresAt: token.expiresAt }));
  }

  start(): void {
    this.lastPoll = Date.now();
    const tick = () => {
      this.polling = this.poll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.pollMs).unref();
      });
    };
    this.timer = setTimeout(tick, this.pollMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private async poll(): Promise<void> {
    const started = Date.now();
    try {
      if (started - this.lastPoll > RESYNC_AFTER_MS) {
        for (const listener of this.listeners) await listener.resync();
      }
      const head = await this.models.IdentityHead.findById(HEAD).lean();
      if (head && head.stamp !== this.headStamp) {
        const recent = await this.models.IdentityChange.find({ at: { $gte: new Date(started - LOG_WINDOW_MS) } }).lean<(IdentityChange & { _id: string })[]>();
        for (const change of recent) {
          if (this.seen.has(change._id)) continue;
          this.seen.set(change._id, started);
          for (const listener of this.listeners) await listener.change(change);
        }
        this.headStamp = head.stamp;
      }
      for (const [id, at] of this.seen) if (started - at > 2 * LOG_WINDOW_MS) this.seen.delete(id);
      this.lastPoll = started;
      if (started - this.lastPurge > PURGE_EVERY_MS) await this.purge(started);
    } catch (error) {
      this.logger.warn('could not read identity changes', { error });
    }
  }

  private async purge(now: number): Promise<void> {
    this.lastPurge = now;
    await this.models.IdentityChange.deleteMany({ at: { $lt: new Date(now - 2 * LOG_WINDOW_MS) } });
    await this.models.RevokedToken.deleteMany({ expiresAt: { $lt: new Date(now) } });
  }
}
