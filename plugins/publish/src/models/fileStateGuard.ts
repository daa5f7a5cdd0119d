import type { Schema } from '@mediahost/core';

/** A write a transition of services/fileLifecycle.ts makes; the file model refuses `status` and `encoding` writes without it. */
const LIFECYCLE_OPTION = 'publishFileLifecycle';
export const LIFECYCLE_WRITE = { [LIFECYCLE_OPTION]: true } as const;

const STATE_FIELD = /^(status|encoding)(\.|$)/;
/** Whether an update (operators or a replacement) names `status`, `encoding` or a field inside it. */
function touchesState(update: unknown): boolean {
  if (!update || typeof update !== 'object') return false;
  if (Array.isArray(update)) return true; // an aggregation pipeline: anything may change
  return Object.entries(update).some(([key, value]) => (key.startsWith('$') ? touchesState(value) : STATE_FIELD.test(key)));
}

/** Hooks on the file schema refusing an update of `status` or `encoding` that does not come from a lifecycle transition. */
export function guardFileStateWrites(schema: Schema): void {
  schema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne'], function (this: { getOptions(): Record<string, unknown>; getUpdate(): unknown }) {
    if (this.getOptions()[LIFECYCLE_OPTION] !== true && touchesState(this.getUpdate())) {
      throw new Error("A publish file's status and encoding are written by its lifecycle (services/fileLifecycle.ts) only");
    }
  });
}
