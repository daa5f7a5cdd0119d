import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { Counters } from './counter.js';

describe('Counters', () => {
  let db: Connection;
  before(async () => {
    db = await openTestDatabase('counters');
  });

  it('hands out distinct, increasing ids even when the first ones of a kind are asked for at once', async () => {
    const counters = new Counters(db);
    const ids = await Promise.all(Array.from({ length: 8 }, () => counters.next('link')));
    expect([...ids].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await counters.next('link')).to.equal(9);
    expect(await counters.next('folder')).to.equal(1);
  });
});
