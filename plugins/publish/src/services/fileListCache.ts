import type { ChangeFeed } from '@mediahost/core';
import type { FileChange } from '../models/fileChanges.js';

/** How long a listing is reused without a change heard of: a backstop for what the feed does not announce (views). */
const TTL_MS = 30_000;
const MAX_OWNERS = 10_000;

/**
 * File listings per owner and query, reused until a change to the files is heard of in any process (the core's
 * change feed) or for 30 s: on the embedded database a listing reads the whole collection (FerretDB's SQLite
 * backend pushes down only _id lookups; its PostgreSQL backend was measured slower), ~1.5 s with 10,000 files.
 */
export class FileListCache {
  private readonly entries = new Map<string, Map<string, { value: unknown; until: number }>>();

  constructor(private readonly feed: ChangeFeed<FileChange>) {
    feed.listen({
      change: ({ owner }) => {
        if (owner) this.entries.delete(owner);
        else this.entries.clear();
      },
      resync: () => this.entries.clear(),
    });
  }

  async get<T>(owner: string, key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(owner)?.get(key);
    if (cached && cached.until > now) return cached.value as T;
    const value = await compute();
    if (!this.entries.has(owner) && this.entries.size >= MAX_OWNERS) this.entries.delete(this.entries.keys().next().value!);
    const byKey = this.entries.get(owner) ?? new Map();
    byKey.set(key, { value, until: now + TTL_MS });
    this.entries.set(owner, byKey);
    return value;
  }
}
