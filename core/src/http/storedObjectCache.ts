import type { Readable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import type { Storage, StoredObject } from '../storage/storage.js';

export interface StoredObjectCacheOptions {
  /** The bytes all cached objects may take together; 0 turns the cache off. */
  maxBytes: number;
  /** Larger objects are streamed each time, never cached. */
  maxObjectBytes: number;
}

async function readWhole(stream: Readable, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (at + chunk.length > size) {
      stream.destroy();
      throw new Error('the object grew while it was read');
    }
    chunk.copy(bytes, at);
    at += chunk.length;
  }
  if (at !== size) throw new Error('the object shrank while it was read');
  return bytes;
}

/**
 * The bytes of small stored objects (HLS segments, playlists, thumbnails) in memory, so that the thousands of viewers
 * of one video do not each cost a file read. Streaming a file allocates a buffer per 64 KiB chunk; in a process with
 * a large heap those allocations cost more in garbage collection than the read itself.
 *
 * An entry is keyed by the object's ETag as well as its key, so a rewritten object (another ETag) is read again at
 * once and its old bytes are never served; the stale entry ages out of the LRU. Concurrent misses read once.
 */
export class StoredObjectCache {
  private readonly storageIds = new WeakMap<Storage, number>();
  private storageCount = 0;
  private readonly entries: LRUCache<string, Buffer, { storage: Storage; key: string; found: StoredObject }> | undefined;

  constructor(readonly options: StoredObjectCacheOptions) {
    this.entries =
      options.maxBytes > 0 && options.maxObjectBytes > 0
        ? new LRUCache({
            maxSize: options.maxBytes,
            sizeCalculation: (bytes) => Math.max(1, bytes.length),
            fetchMethod: async (_cacheKey, _stale, { context }) => readWhole(await context.storage.read(context.key), context.found.size),
          })
        : undefined;
  }

  /** The object's bytes when it is small enough to cache (read now if it is not cached yet), else undefined. */
  async bytes(storage: Storage, key: string, found: StoredObject): Promise<Buffer | undefined> {
    if (!this.entries || found.size > this.options.maxObjectBytes || found.size > this.options.maxBytes) return undefined;
    return this.entries.fetch(`${this.storageId(storage)}\n${key}\n${found.etag}`, { context: { storage, key, found } });
  }

  /** Bytes held now, for tests and stats. */
  get heldBytes(): number {
    return this.entries?.calculatedSize ?? 0;
  }

  private storageId(storage: Storage): number {
    let id = this.storageIds.get(storage);
    if (id === undefined) {
      id = ++this.storageCount;
      this.storageIds.set(storage, id);
    }
    return id;
  }
}
