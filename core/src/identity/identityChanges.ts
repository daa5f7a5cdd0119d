import { randomBytes } from 'node:crypto';
import type { Logger } from '../log/createLogger.js';
import type { IdentityChangeDoc, IdentityModels } from './models.js';

export type IdentityChange = Pick<IdentityChangeDoc, 'kind' | 'applicationId'> & { jti?: string; expiresAt?: Date };

/** Changes older than this are not polled again: every live process has seen them by then. */
const POLL_WINDOW_MS = 30_000;
/** A process that could not poll for this long may have missed changes and reloads everything. */
const RESYNC_AFTER_MS = 20_000;
const PURGE_EVERY_MS = 10 * 60_000;
const KEEP_MS = 3600_000;

export interface IdentityChangeListener {
  change(change: IdentityChange): void | Promise<void>;
  /** Changes may have been missed: reload everything. */
  resync(): Promise<void>;
}

/**
 * Application changes and token revocations, shared by every process through one small collection that each
 * polls (every `pollMs`): a deletion, a secret renewal or a revocation in one process holds in all of them
 * within a poll, with no database read on the path of a valid request.
 */
export class IdentityChanges {
  private readonly listeners: IdentityChangeListener[] = [];
  private readonly seen = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private lastPoll = Date.now();
  private lastPurge = 0;
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
    await this.models.IdentityChange.create({ _id, at: new Date(), ...change });
    for (const listener of this.listeners) await listener.change(change);
  }

  /** The revocations still in force: tokens revoked that have not expired yet. */
  async activeRevocations(): Promise<IdentityChange[]> {
    return this.models.IdentityChange.find({ kind: 'token', expiresAt: { $gt: new Date() } }).lean<IdentityChange[]>();
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
      const recent = await this.models.IdentityChange.find({ at: { $gte: new Date(started - POLL_WINDOW_MS) } }).lean<(IdentityChange & { _id: string })[]>();
      for (const change of recent) {
        if (this.seen.has(change._id)) continue;
        this.seen.set(change._id, started);
        for (const listener of this.listeners) await listener.change(change);
      }
      for (const [id, at] of this.seen) if (started - at > 2 * POLL_WINDOW_MS) this.seen.delete(id);
      this.lastPoll = started;
      if (started - this.lastPurge > PURGE_EVERY_MS) await this.purge(started);
    } catch (error) {
      this.logger.warn('could not read identity changes', { error });
    }
  }

  private async purge(now: number): Promise<void> {
    this.lastPurge = now;
    await this.models.IdentityChange.deleteMany({
      at: { $lt: new Date(now - KEEP_MS) },
      $or: [{ kind: 'application' }, { expiresAt: { $lt: new Date(now) } }],
    });
  }
}
