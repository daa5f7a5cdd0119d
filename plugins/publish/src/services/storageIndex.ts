import type { ChangeFeed, Logger, Model } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import { pendingOf, type PendingEncoding, type StorageChange } from '../models/storageChanges.js';
import { FeedFedIndex } from './feedFedIndex.js';

type FileChange = Exclude<StorageChange, { op: 'reload' }>;

interface Held {
  owner: string;
  size: number;
}

/** How many files a load looks up one by one for their tracks (by _id, which the embedded database serves without a scan). */
const PARALLEL_READS = 16;

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
 * says changes may have been missed, and hourly as a backstop. The files still being transcoded are held with what
 * they have left to make, for the encoding-queue series (VideoCMS counts its queue every minute: a scan here).
 */
export class StorageIndex extends FeedFedIndex<FileChange> {
  private files = new Map<string, Held>();
  private totals = new Map<string, number>();
  private counts = new Map<string, number>();
  private pending = new Map<string, PendingEncoding>();

  constructor(
    private readonly model: Model<FileDoc>,
    feed: ChangeFeed<StorageChange>,
    logger: Logger,
  ) {
    super(logger, 'storage index');
    feed.listen({
      change: (change) => (change.op === 'reload' ? this.reload() : this.hear(change)),
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

  /** What every file being transcoded has left to make. */
  async pendingEncodings(): Promise<PendingEncoding[]> {
    await this.ready();
    return [...this.pending.values()];
  }

  /** The owners holding the most bytes, most first. */
  async largestOwners(count: number): Promise<[string, number][]> {
    await this.ready();
    return largest(this.totals, count);
  }

  protected async read(): Promise<void> {
    const docs = await this.model.find({}, { owner: 1, size: 1, status: 1 }).lean<Pick<FileDoc, '_id' | 'owner' | 'size' | 'status'>[]>();
    const files = new Map<string, Held>();
    const totals = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const doc of docs) {
      files.set(doc._id, { owner: doc.owner, size: doc.size });
      totals.set(doc.owner, (totals.get(doc.owner) ?? 0) + doc.size);
      counts.set(doc.owner, (counts.get(doc.owner) ?? 0) + 1);
    }
    // Only the few files being transcoded are read whole, for their size and tracks.
    const processing = docs.filter((doc) => doc.status === 'processing').map((doc) => doc._id);
    const pending = new Map<string, PendingEncoding>();
    for (let at = 0; at < processing.length; at += PARALLEL_READS) {
      const read = await Promise.all(processing.slice(at, at + PARALLEL_READS).map((id) => this.model.findById(id, { status: 1, width: 1, height: 1, audio: 1, subtitles: 1 }).lean<FileDoc>()));
      for (const doc of read) {
        const left = doc && pendingOf(doc);
        if (left) pending.set(doc._id, left);
      }
    }
    [this.files, this.totals, this.counts, this.pending] = [files, totals, counts, pending];
  }

  protected apply(change: FileChange): void {
    // A file deleted meanwhile stays out.
    if (change.op === 'encoding') return this.setPending(change.id, this.files.has(change.id) ? change.pending : null);
    const before = this.files.get(change.id);
    if (before) {
      this.files.delete(change.id);
      this.totals.set(before.owner, (this.totals.get(before.owner) ?? 0) - before.size);
      const left = (this.counts.get(before.owner) ?? 0) - 1;
      if (left > 0) this.counts.set(before.owner, left);
      else [this.counts, this.totals].forEach((map) => map.delete(before.owner));
    }
    this.setPending(change.id, change.op === 'add' ? change.pending : null);
    if (change.op === 'add') {
      this.files.set(change.id, { owner: change.owner, size: change.size });
      this.totals.set(change.owner, (this.totals.get(change.owner) ?? 0) + change.size);
      this.counts.set(change.owner, (this.counts.get(change.owner) ?? 0) + 1);
    }
  }

  private setPending(id: string, pending: PendingEncoding | null): void {
    if (pending) this.pending.set(id, pending);
    else this.pending.delete(id);
  }
}
