import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { NumericIds } from './counter.js';

describe('editor: numeric ids', () => {
  let db: Connection;
  before(async () => {
    db = await openTestDatabase('editor-ids');
  });
  after(async () => {
    await db?.close();
  });

  it('never hands out the same id twice, even to concurrent callers on a fresh counter', async () => {
    const ids = new NumericIds(db as never);
    const got = await Promise.all(Array.from({ length: 40 }, () => ids.next('thing')));
    expect(new Set(got).size).to.equal(40);
    expect(Math.min(...got)).to.be.greaterThan(1000);
    expect(await ids.next('other')).to.equal(1001);
  });
});
