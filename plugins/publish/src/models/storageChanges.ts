import type { ChangeFeed, Schema } from '@mediahost/core';

/**
 * What a write to the files tells the storage index (services/storageIndex.ts): a file of `size` bytes now belongs
 * to `owner`, a file is gone, or files went in a way the write does not name (the index reloads).
 */
export type StorageChange = { op: 'add'; id: string; owner: string; size: number } | { op: 'remove'; id: string } | { op: 'reload' };

/** The _id a delete's filter names, when it names exactly one. */
function deletedId(filter: Record<string, unknown> | undefined): string | undefined {
  const id = filter?._id;
  return typeof id === 'string' && Object.keys(filter!).length === 1 ? id : undefined;
}

/**
 * Hooks on the file schema announcing where bytes are added and removed: a created file (its size is fixed at
 * creation), and a file deleted by its _id (FileLifecycle.remove); any other delete, or an owner or size changed by an
 * update, announces a reload.
 */
export function announceStorageChanges(schema: Schema, feed: () => ChangeFeed<StorageChange> | undefined): void {
  const announce = (change: StorageChange) => void feed()?.publish(change).catch(() => undefined);
  schema.post('save', function (doc: { _id: string; owner: string; size: number }) {
    announce({ op: 'add', id: doc._id, owner: doc.owner, size: doc.size });
  });
  schema.post('insertMany', function (docs: unknown) {
    for (const doc of docs as { _id: string; owner: string; size: number }[]) announce({ op: 'add', id: doc._id, owner: doc.owner, size: doc.size });
  });
  schema.post(/^(updateOne|updateMany|findOneAndUpdate|replaceOne)$/, function (this: { getUpdate(): Record<string, unknown> | null }) {
    const update = this.getUpdate() ?? {};
    const touched = Object.entries(update).flatMap(([key, value]) => (key.startsWith('$') && value && typeof value === 'object' ? Object.keys(value) : [key]));
    if (touched.some((field) => field === 'owner' || field === 'size')) announce({ op: 'reload' });
  });
  schema.post(/^(deleteOne|findOneAndDelete)$/, function (this: { getFilter(): Record<string, unknown> }) {
    const id = deletedId(this.getFilter());
    announce(id ? { op: 'remove', id } : { op: 'reload' });
  });
  schema.post('deleteMany', function () {
    announce({ op: 'reload' });
  });
}
