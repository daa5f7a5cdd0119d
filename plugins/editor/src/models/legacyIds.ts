import type { Connection, NumericIds } from '@mediahost/core';

const KINDS = ['file', 'folder', 'font', 'instance', 'role', 'template', 'timeline', 'user', 'webhook'];
/** WeVideo-like ids start above 1000. */
const FIRST_ID = 1001;

/**
 * Before the core's numeric ids, editor_counters held `$inc`ed counters (id = 1000 + seq) and editor_claims the ids
 * taken (`id:<kind>:<n>`); a lost `$inc` could leave a counter below its last claim, so both are read.
 */
export function continueLegacyIds(db: Connection, ids: NumericIds): NumericIds {
  for (const kind of KINDS) {
    ids.continueAfter(kind, async () => {
      const counter = await db.collection<{ _id: string; seq: number }>('editor_counters').findOne({ _id: kind });
      const prefix = `id:${kind}:`;
      const taken = await db
        .collection<{ _id: string }>('editor_claims')
        .find({ _id: { $regex: `^${prefix}` } }, { projection: { _id: 1 } })
        .toArray();
      return taken.reduce((highest, claim) => Math.max(highest, Number(claim._id.slice(prefix.length))), Math.max(FIRST_ID - 1, 1000 + (counter?.seq ?? 0)));
    });
  }
  return ids;
}
