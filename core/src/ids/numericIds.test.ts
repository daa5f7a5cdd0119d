import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { databaseUri, openTestDatabase } from '../../../test/support/globalDatabase.js';
import { NumericIdService } from './numericIds.js';

describe('numeric ids', () => {
  let db: Connection;
  let other: Connection;
  before(async () => {
    db = await openTestDatabase('numericids');
    // a second connection to the same database, as another process of the platform has
    other = await mongoose.createConnection(databaseUri(), { dbName: db.name }).asPromise();
  });
  after(async () => {
    await other?.close();
  });

  it('hands distinct numbers to many concurrent callers on two connections, each caller getting increasing ones', async () => {
    const here = new NumericIdService(db).forPlugin('demo');
    const there = new NumericIdService(other).forPlugin('demo');
    const caller = async (ids: typeof here) => {
      const got: number[] = [];
      for (let i = 0; i < 5; i += 1) got.push(await ids.next('thing'));
      return got;
    };
    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => caller(i % 2 ? here : there)));
    const all = runs.flat();
    expect(new Set(all).size).to.equal(all.length);
    expect(Math.min(...all)).to.be.greaterThan(0);
    for (const run of runs) expect(run).to.deep.equal([...run].sort((a, b) => a - b));
    const after = await here.next('thing');
    expect(after).to.be.greaterThan(Math.max(...runs.filter((_, i) => i % 2).flat()));
  });

  it('keeps sequences apart per plugin and per name', async () => {
    const service = new NumericIdService(db);
    expect(await service.forPlugin('alpha').next('folder')).to.equal(1);
    expect(await service.forPlugin('beta').next('folder')).to.equal(1);
    expect(await service.forPlugin('alpha').next('tag')).to.equal(1);
    expect(await service.forPlugin('alpha').next('folder')).to.equal(2);
  });

  it('continues above the floor of numbers issued before it, asking for the floor only on first use', async () => {
    let asked = 0;
    const first = new NumericIdService(db).forPlugin('legacy');
    first.continueAfter('link', async () => {
      asked += 1;
      return 41;
    });
    expect(await Promise.all([first.next('link'), first.next('link')])).to.have.members([42, 43]);
    const restarted = new NumericIdService(other).forPlugin('legacy');
    restarted.continueAfter('link', async () => {
      asked += 1;
      return 0;
    });
    expect(await restarted.next('link')).to.equal(44);
    expect(asked).to.be.at.most(2);
  });
});
