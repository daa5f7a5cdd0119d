import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { NumericIdService } from '../../../../core/src/ids/numericIds.js';
import { continueLegacyCounters } from './legacyCounters.js';

describe('publish: ids issued before the core numeric ids', () => {
  let db: Connection;
  before(async () => {
    db = await openTestDatabase('publishlegacyids');
  });

  it('continue above the highest of the old counter and its claims, and start at 1 for a kind never used', async () => {
    await db.collection('publish_counters').insertOne({ _id: 'link' as never, seq: 7 });
    await db.collection('publish_counter_claims').insertMany([{ _id: 'link:8' as never }, { _id: 'link:9' as never }, { _id: 'tag:30' as never }]);
    const ids = continueLegacyCounters(db, new NumericIdService(db).forPlugin('publish'));
    expect(await ids.next('link')).to.equal(10);
    expect(await ids.next('tag')).to.equal(31);
    expect(await ids.next('folder')).to.equal(1);
  });
});
