import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { NumericIdService } from '../../../../core/src/ids/numericIds.js';
import { continueLegacyIds } from './legacyIds.js';

describe('editor: ids issued before the core numeric ids', () => {
  let db: Connection;
  before(async () => {
    db = await openTestDatabase('editorlegacyids');
  });

  it('continue above the old counter (1000 + seq) and its claims, and start at 1001 for a kind never used', async () => {
    await db.collection('editor_counters').insertMany([{ _id: 'user' as never, seq: 4 }, { _id: 'timeline' as never, seq: 2 }]);
    // a lost $inc left the timeline counter below its last claim
    await db.collection('editor_claims').insertMany([{ _id: 'id:timeline:1003' as never, at: new Date() }, { _id: 'id:timeline:1005' as never, at: new Date() }]);
    const ids = continueLegacyIds(db, new NumericIdService(db).forPlugin('editor'));
    expect(await ids.next('user')).to.equal(1005);
    expect(await ids.next('timeline')).to.equal(1006);
    expect(await ids.next('folder')).to.equal(1001);
  });
});
