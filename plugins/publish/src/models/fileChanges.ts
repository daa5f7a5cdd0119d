import type { ChangeFeed, Schema } from '@mediahost/core';

/** Fields an update may touch without changing what a listing shows (progress every second, play counts). */
const UNLISTED = /^(encoding(\..*)?|views|updatedAt|uploadId|sha256|\$\w+)$/;

/** What a write to the files announces: the owner whose listings it changes, or none for every owner. */
export type FileChange = { owner?: string };

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
 * Hooks on the file schema announcing every write that changes what a listing shows: the owner when the write
 * knows it (a created or saved document), every owner otherwise. Writers need not remember to.
 */
export function announceFileChanges(schema: Schema, feed: () => ChangeFeed<FileChange> | undefined): void {
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
