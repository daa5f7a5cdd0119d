import type { ChangeFeed } from '@mediahost/core';
import type { FileChange } from '../models/fileChanges.js';

/** How long a listing is reused without a change heard of: a backstop for what the feed does not announce (views). */
const TTL_MS = 30_000;
const MAX_OWNERS = 10_000;

interface Entry {
  value: unknown;
  until: number;
  /** The epoch its computation started at: it stands while no change to its owner came later. */
  epoch: number;
}

interface Pending {
  promise: Promise<unknown>;
  epoch: number;
}

/**
 * File listings per owner and query, reused until a change to the files is heard of in any process (the core's
 * change feed) or for 30 s: on the embedded database a listing reads the whole collection (FerretDB's SQLite
 * backend pushes down only _id lookups; its PostgreSQL backend was measured slower), ~1.5 s with 10,000 files.
 * Concurrent misses of one listing share one computation (40 clients missing at once each read the whole
 * collection and timed out under the mixed-load bench). Past its 30 s a listing no change has touched is still
 * answered while one refresh runs: the backstop is for what the feed does not announce, not worth a stall.
 */
export class FileListCache {
  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly pending = new Map<string, Pending>();
  /** Counts changes; a computation that started before the last change of its owner is not kept. */
  private epoch = 0;
  private clearedAt = 0;
  private readonly ownerChangedAt = new Map<string, number>();

  constructor(
    private readonly feed: ChangeFeed<FileChange>,
    private readonly ttlMs = TTL_MS,
  ) {
    feed.listen({
      change: ({ owner }) => (owner ? this.changed(owner) : this.clear()),
      resync: () => this.clear(),
    });
  }

  async get<T>(owner: string, key: string, compute: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(owner)?.get(key);
    if (cached && this.stands(owner, cached.epoch)) {
      if (cached.until > Date.now()) return cached.value as T;
      void this.refresh(owner, key, compute).catch(() => undefined);
      return cached.value as T;
    }
    return this.refresh(owner, key, compute);
  }

  private refresh<T>(owner: string, key: string, compute: () => Promise<T>): Promise<T> {
    const id = `${owner}\0${key}`;
    const running = this.pending.get(id);
    if (running && this.stands(owner, running.epoch)) return running.promise as Promise<T>;
    const epoch = this.epoch;
    const promise = compute().then(
      (value) => {
        this.settle(id, promise);
        if (this.stands(owner, epoch)) this.store(owner, key, { value, until: Date.now() + this.ttlMs, epoch });
        return value;
      },
      (error: unknown) => {
        this.settle(id, promise);
        throw error;
      },
    );
    this.pending.set(id, { promise, epoch });
    return promise;
  }

  private settle(id: string, promise: Promise<unknown>): void {
    if (this.pending.get(id)?.promise === promise) this.pending.delete(id);
  }

  private stands(owner: string, epoch: number): boolean {
    return epoch >= this.clearedAt && epoch >= (this.ownerChangedAt.get(owner) ?? 0);
  }

  private store(owner: string, key: string, entry: Entry): void {
    if (!this.entries.has(owner) && this.entries.size >= MAX_OWNERS) this.entries.delete(this.entries.keys().next().value!);
    const byKey = this.entries.get(owner) ?? new Map<string, Entry>();
    byKey.set(key, entry);
    this.entries.set(owner, byKey);
  }

  private changed(owner: string): void {
    this.epoch++;
    this.entries.delete(owner);
    // Forgetting who changed when is safe only as a clear of everything.
    if (this.ownerChangedAt.size >= MAX_OWNERS) return this.clear();
    this.ownerChangedAt.set(owner, this.epoch);
  }

  private clear(): void {
    this.epoch++;
    this.clearedAt = this.epoch;
    this.entries.clear();
    this.ownerChangedAt.clear();
  }
}
