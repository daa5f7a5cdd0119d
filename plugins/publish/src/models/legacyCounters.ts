import type { Connection, NumericIds } from '@mediahost/core';

const KINDS = ['link', 'folder', 'tag', 'download', 'webhook', 'apikey', 'upload'];

/**
 * Ids handed out before the core's numeric ids came from publish_counters (a hint) and publish_counter_claims
 * (`<kind>:<n>`, the truth: a crash could leave a claim above its hint). The core's sequences continue above both.
 */
export function continueLegacyCounters(db: Connection, ids: NumericIds): NumericIds {
  for (const kind of KINDS) {
    ids.continueAfter(kind, async () => {
      const hint = await db.collection<{ _id: string; seq: number }>('publish_counters').findOne({ _id: kind });
      const claims = await db
        .collection<{ _id: string }>('publish_counter_claims')
        .find({ _id: { $regex: `^${kind}:` } }, { projection: { _id: 1 } })
        .toArray();
      return claims.reduce((highest, claim) => Math.max(highest, Number(claim._id.slice(kind.length + 1))), hint?.seq ?? 0);
    });
  }
  return ids;
}
