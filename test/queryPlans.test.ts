import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { changeModels } from '../core/src/changes/changeFeed.js';
import { openTestDatabase } from './support/globalDatabase.js';

interface FerretExplain {
  filterPushdown?: boolean;
  queryPlanner?: { Plan?: string[] };
}

/**
 * The lookups on the request paths that still reach the database must be answered by _id, which FerretDB's SQLite
 * backend pushes down to SQLite (its plan shows whether the filter was pushed down; other filters load the whole
 * collection). Applications and tokens are not read per request at all (docs/tokens.md).
 */
describe('query plans of the hot lookups on the embedded database', () => {
  let db: Connection;
  before(async () => {
    db = await openTestDatabase('plans');
  });

  const explain = async (collection: string, filter: Record<string, unknown>) =>
    (await db.collection(collection).find(filter).limit(1).explain()) as unknown as FerretExplain;

  it('pushes down the change-feed head every process polls', async () => {
    await changeModels(db).Head.updateOne({ _id: 'core.identity' }, { $set: { stamp: 'x' } }, { upsert: true });
    expect((await explain('core_change_heads', { _id: 'core.identity' })).filterPushdown).to.equal(true);
  });

  it("pushes down the media routes' and the player's file lookup", async () => {
    await db.collection('publish_files').insertOne({ _id: 'f1' as never, owner: 'app:x', status: 'ready' });
    expect((await explain('publish_files', { _id: 'f1' })).filterPushdown).to.equal(true);
  });

  it("pushes down the per-request reads of the limits, the storage top's names and the storage chart's days", async () => {
    // What every upload, remote download and login reads (services/accountLimits.ts), and what a storage top list or chart
    // reads besides the in-memory storage index (services/usageStats.ts, services/storageHistory.ts): all by _id.
    for (const [collection, _id] of [
      ['publish_settings', 'videocms'],
      ['publish_account_settings', 'user:abc'],
      ['publish_files', 'f2'],
      ['publish_storage_days', 'storage:2026-12-01'],
      ['publish_usage_days', 'traffic:*:2026-12-01'],
    ] as const) {
      await db.collection(collection).insertOne({ _id: _id as never });
      expect((await explain(collection, { _id })).filterPushdown, collection).to.equal(true);
    }
  });
});
