import { randomUUID } from 'node:crypto';
import type { ChangeFeed, Logger, Model } from '@mediahost/core';
import type { UsageDoc, UsageKind } from '../models/usage.js';
import type { UsageChange } from '../models/usageChanges.js';

const DAY_MS = 86_400_000;
/** Documents kept for a retry while the database is away; beyond it the oldest are dropped (and logged). */
const MAX_UNSAVED = 50_000;
/** Saved documents per announcement, so that one stays a small log entry. */
const ANNOUNCED_AT_ONCE = 1000;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

export const utcDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/**
 * Counts usage in memory and writes it in batches, so serving a segment costs no database write. Each flush inserts
 * one document per (kind, day, owner, file, label) under an _id made of this process's id and the flush number: a
 * failed flush is retried with the same ids, and a duplicate-key answer means that document was already saved.
 * A crash loses at most what was counted since the last successful flush (one flush interval). What was saved is
 * announced on `feed`, for the ledgers of every process (services/usageLedger.ts).
 */
export class UsageMeter {
  private counting = new Map<string, Omit<UsageDoc, '_id'>>();
  private unsaved: UsageDoc[] = [];
  private flushes = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly usage: Model<UsageDoc>,
    private readonly logger: Logger,
    /** Unique among the processes writing usage, so their ids never meet. */
    private readonly processId: string = randomUUID(),
    private readonly feed?: ChangeFeed<UsageChange>,
  ) {}

  record(kind: UsageKind, owner: string, amount: number, where: { fileId?: string; label?: string } = {}, at = new Date()): void {
    if (!(amount > 0) || !Number.isFinite(amount)) return;
    const day = utcDay(at);
    const fileId = where.fileId ?? null;
    const label = where.label ?? null;
    const key = JSON.stringify([kind, day.getTime(), owner, fileId, label]);
    const counted = this.counting.get(key);
    if (counted) counted.value += amount;
    else this.counting.set(key, { kind, day, owner, fileId, label, value: amount });
  }

  /** Writes what was counted; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    const flush = (this.flushes += 1);
    // Sorted by key, one owner's documents of a kind and day get consecutive numbers: a summary names them in one run.
    const counted = [...this.counting.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, doc], i) => ({ _id: `${this.processId}:${flush}:${i}`, ...doc }));
    this.counting = new Map();
    const savedAt = new Date();
    const batch = [...this.unsaved, ...counted].map((doc) => ({ ...doc, savedAt }));
    if (batch.length === 0) return;
    try {
      await this.usage.insertMany(batch, { ordered: false });
      this.unsaved = [];
      await this.announce(batch);
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { index: number; code?: number; err?: { code?: number } }[] }).writeErrors;
      // Per-document errors tell which were saved (a duplicate was, by an earlier try); without them, keep the whole batch.
      const failed = new Set((writeErrors ?? []).filter((e) => !isDuplicate(e.err ?? e)).map((e) => e.index));
      this.unsaved = writeErrors?.length ? batch.filter((_, i) => failed.has(i)) : batch;
      const saved = writeErrors?.length ? batch.filter((_, i) => !failed.has(i)) : [];
      if (this.unsaved.length > MAX_UNSAVED) {
        this.logger.error('usage accounting dropped its oldest unsaved counts', { dropped: this.unsaved.length - MAX_UNSAVED });
        this.unsaved = this.unsaved.slice(-MAX_UNSAVED);
      }
      if (this.unsaved.length > 0) this.logger.warn('could not save usage counts, will retry', { pending: this.unsaved.length, error: (error as Error).message });
      await this.announce(saved);
    }
  }

  /** A lost announcement only delays the figures until the ledgers' next load: the counts are saved. */
  private async announce(saved: UsageDoc[]): Promise<void> {
    if (!this.feed) return;
    for (let i = 0; i < saved.length; i += ANNOUNCED_AT_ONCE) {
      await this.feed.publish({ op: 'flushed', docs: saved.slice(i, i + ANNOUNCED_AT_ONCE) }).catch((error: unknown) => this.logger.warn('could not announce saved usage counts', { error }));
    }
  }
}
