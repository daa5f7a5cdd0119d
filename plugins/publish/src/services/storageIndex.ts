import type { ChangeFeed, Logger, Model } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { StorageChange } from '../models/storageChanges.js';

/** A full reload now and then, should an announcement have been lost (a process that died between its write and the announcement). */
const RECONCILE_EVERY_MS = 3600_000;

type FileChange = Exclude<StorageChange, { op: 'reload' }>;

interface Held {
  owner: string;
  size: number;
}

/** The `count` largest of `entries` by value, largest first, in one pass. */
export function largest<K>(entries: Iterable<[K, number]>, count: number): [K, number][] {
  const kept: [K, number][] = [];
  for (const entry of entries) {
    if (kept.length === count && entry[1] <= kept[count - 1]![1]) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1]![1] < entry[1]) at--;
    kept.splice(at, 0, entry);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/**
 * Every file's owner and size, in memory, for the storage top lists and totals: on the embedded database a sort by
 * size reads and sorts the whole collection (19 s per request with 100,000 files), and no index serves it (FerretDB's
 * SQLite backend pushes down only _id lookups). Loaded with one read of the collection when first needed, then kept
 * current by the files' storage announcements (models/storageChanges.ts) from every process; reloaded when the feed
 * says changes may have been missed, and hourly as a backstop.
 */
export class StorageIndex {
  private files = new Map<string, Held>();
  private totals = new Map<string, number>();
  private counts = new Map<string, number>();
  private loaded?: Promise<void>;
  /** Changes heard while a load runs, applied on top of what it read. */
  private heardDuringLoad: FileChange[] | null = null;
  private loadedAt = 0;

  constructor(
    private readonly model: Model<FileDoc>,
    feed: ChangeFeed<StorageChange>,
    private readonly logger: Logger,
  ) {
    feed.listen({
      change: (change) => this.hear(change),
      resync: () => this.reload(),
    });
  }

  /** The owner's bytes, or everyone's. */
  async bytesOf(owner: string | null): Promise<number> {
    await this.ready();
    if (owner) return this.totals.get(owner) ?? 0;
    let sum = 0;
    for (const total of this.totals.values()) sum += total;
    return sum;
  }

  /** How many files the owner has. */
  async filesOf(owner: string): Promise<number> {
    await this.ready();
    return this.counts.get(owner) ?? 0;
  }

  /** The ids and sizes of the owner's (or everyone's) largest files, largest first. */
  async largestFiles(owner: string | null, count: number): Promise<[string, number][]> {
    await this.ready();
    const sizes = function* (files: Map<string, Held>): Iterable<[string, number]> {
      for (const [id, held] of files) if (!owner || held.owner === owner) yield [id, held.size];
    };
    return largest(sizes(this.files), count);
  }

  /** The owners holding the most bytes, most first. */
  async largestOwners(count: number): Promise<[string, number][]> {
    await this.ready();
    return largest(this.totals, count);
  }

  private ready(): Promise<void> {
    if (!this.loaded) {
      const first = this.load();
      this.loaded = first.catch((error: unknown) => {
        this.loaded = undefined;
        throw error;
      });
    } else if (Date.now() - this.loadedAt > RECONCILE_EVERY_MS) this.reload();
    return this.loaded;
  }

  /** Reads everything again in the background (unless a load runs); the current figures are answered meanwhile. */
  private reload(): void {
    if (!this.loaded || this.heardDuringLoad) return;
    this.load().catch((error: unknown) => this.logger.warn('could not reload the storage index', { error }));
  }

  private async load(): Promise<void> {
    this.heardDuringLoad = [];
    this.loadedAt = Date.now();
    try {
      const docs = await this.model.find({}, { owner: 1, size: 1 }).lean<Pick<FileDoc, '_id' | 'owner' | 'size'>[]>();
      const files = new Map<string, Held>();
      const totals = new Map<string, number>();
      const counts = new Map<string, number>();
      for (const doc of docs) {
        files.set(doc._id, { owner: doc.owner, size: doc.size });
        totals.set(doc.owner, (totals.get(doc.owner) ?? 0) + doc.size);
        counts.set(doc.owner, (counts.get(doc.owner) ?? 0) + 1);
      }
      [this.files, this.totals, this.counts] = [files, totals, counts];
      for (const change of this.heardDuringLoad) this.apply(change);
    } finally {
      this.heardDuringLoad = null;
    }
  }

  private hear(change: StorageChange): void {
    // Before its first load the index holds nothing: the load will read this change's outcome.
    if (!this.loaded) return;
    if (change.op === 'reload') return this.reload();
    this.heardDuringLoad?.push(change);
    this.apply(change);
  }

  private apply(change: FileChange): void {
    const before = this.files.get(change.id);
    if (before) {
      this.files.delete(change.id);
      this.totals.set(before.owner, (this.totals.get(before.owner) ?? 0) - before.size);
      const left = (this.counts.get(before.owner) ?? 0) - 1;
      if (left > 0) this.counts.set(before.owner, left);
      else [this.counts, this.totals].forEach((map) => map.delete(before.owner));
    }
    if (change.op === 'add') {
      this.files.set(change.id, { owner: change.owner, size: change.size });
      this.totals.set(change.owner, (this.totals.get(change.owner) ?? 0) + change.size);
      this.counts.set(change.owner, (this.counts.get(change.owner) ?? 0) + 1);
    }
  }
}
