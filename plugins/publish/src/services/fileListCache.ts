import type { ChangeFeed, Schema } from '@mediahost/core';

/** How long a listing is reused without a change heard of: a backstop for what the feed does not announce (views). */
const TTL_MS = 30_000;
const MAX_OWNERS = 10_000;

/** Fields an update may touch without changing what a listing shows (progress every second, play counts). */
const UNLISTED = /^(encoding(\..*)?|views|updatedAt|uploadId|sha256|\$\w+)$/;

type FileChange = { owner?: string };

function touchesListedFields(update: Record<string, unknown> | null | undefined): boolean {
  if (!update) return true;
  for (const [key, value] of Object.entries(update)) {
    if (key.startsWith('$')) {
      if (value && typeof value === 'object' && Object.keys(value).some((field) => !UNLISTED.test(field))) return true;
    } else if (!UNLISTED.test(key)) return true;
  }
  return false;
}

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

  /**
   * Hooks on the file schema announcing every write that changes what a listing shows: the owner when the write
   * knows it (a created or saved document), every owner otherwise. Writers need not remember to.
   */
  static announceChanges(schema: Schema, feed: () => ChangeFeed<FileChange> | undefined): void {
    const announce = (owner?: string) => void feed()?.publish(owner ? { owner } : {}).catch(() => undefined);
    schema.post('save', function (doc: { owner?: string }) {
      announce(doc.owner);
    });
    schema.post('insertMany', function (docs: unknown) {
      for (const owner of new Set((docs as { owner?: string }[]).map((d) => d.owner))) announce(owner);
    });
    schema.post(/^(updateOne|updateMany|findOneAndUpdate|replaceOne)$/, function (this: { getUpdate(): Record<string, unknown> | null }) {
      if (touchesListedFields(this.getUpdate())) announce();
    });
    schema.post(/^(deleteOne|deleteMany|findOneAndDelete)$/, function () {
      announce();
    });
  }
}
