import type { ChangeFeed, Schema } from '@mediahost/core';

/** What a file still being transcoded has to make: the ladder follows from its size, one encode per audio and subtitle track. */
export interface PendingEncoding {
  width: number;
  height: number;
  audios: number;
  subtitles: number;
}

/**
 * What a write to the files tells the storage index (services/storageIndex.ts): a file of `size` bytes now belongs
 * to `owner` (`pending` while it is being transcoded), a file is gone, a file's transcoding began again or ended,
 * or files went in a way the write does not name (the index reloads).
 */
export type StorageChange =
  | { op: 'add'; id: string; owner: string; size: number; pending: PendingEncoding | null }
  | { op: 'remove'; id: string }
  | { op: 'encoding'; id: string; pending: PendingEncoding | null }
  | { op: 'reload' };

interface FileFacts {
  _id: string;
  owner: string;
  size: number;
  status: string;
  width?: number;
  height?: number;
  audio?: unknown[];
  subtitles?: unknown[];
}

/** What `file` has left to transcode, or null when it is not being transcoded. */
export function pendingOf(file: Omit<FileFacts, '_id' | 'owner' | 'size'>): PendingEncoding | null {
  if (file.status !== 'processing') return null;
  return { width: file.width ?? 0, height: file.height ?? 0, audios: file.audio?.length ?? 0, subtitles: file.subtitles?.length ?? 0 };
}

/** The _id a delete's filter names, when it names exactly one. */
function deletedId(filter: Record<string, unknown> | undefined): string | undefined {
  const id = filter?._id;
  return typeof id === 'string' && Object.keys(filter!).length === 1 ? id : undefined;
}

/**
 * Hooks on the file schema announcing where bytes are added and removed: a created file (its size is fixed at
 * creation), and a file deleted by its _id (FileLifecycle.remove); any other delete, or an owner or size changed by an
 * update, announces a reload. A status written by a lifecycle transition announces whether the file is still to transcode.
 */
export function announceStorageChanges(schema: Schema, feed: () => ChangeFeed<StorageChange> | undefined): void {
  const announce = (change: StorageChange) => void feed()?.publish(change).catch(() => undefined);
  const added = (doc: FileFacts) => announce({ op: 'add', id: doc._id, owner: doc.owner, size: doc.size, pending: pendingOf(doc) });
  schema.post('save', function (doc: FileFacts) {
    added(doc);
  });
  schema.post('insertMany', function (docs: unknown) {
    for (const doc of docs as FileFacts[]) added(doc);
  });
  schema.post(/^(updateOne|updateMany|findOneAndUpdate|replaceOne)$/, function (this: { getUpdate(): Record<string, unknown> | null; op?: string }, result: unknown) {
    const update = this.getUpdate() ?? {};
    const touched = Object.entries(update).flatMap(([key, value]) => (key.startsWith('$') && value && typeof value === 'object' ? Object.keys(value) : [key]));
    if (touched.some((field) => field === 'owner' || field === 'size')) return announce({ op: 'reload' });
    if (!touched.includes('status')) return;
    // The lifecycle's transitions are findOneAndUpdate answering the document after: it says where the file is now.
    const file = this.op === 'findOneAndUpdate' ? (result as FileFacts | null) : undefined;
    if (file === null) return;
    announce(file && typeof file.status === 'string' ? { op: 'encoding', id: file._id, pending: pendingOf(file) } : { op: 'reload' });
  });
  schema.post(/^(deleteOne|findOneAndDelete)$/, function (this: { getFilter(): Record<string, unknown> }) {
    const id = deletedId(this.getFilter());
    announce(id ? { op: 'remove', id } : { op: 'reload' });
  });
  schema.post('deleteMany', function () {
    announce({ op: 'reload' });
  });
}
