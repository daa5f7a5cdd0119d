import { expect } from 'chai';
import type { Connection } from 'mongoose';
import winston from 'winston';
import { ChangeFeed, changeModels } from '../../../../core/dist/changes/changeFeed.js';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { waitFor } from '../../../../test/support/waitFor.js';
import { usageModel, type UsageDoc } from '../models/usage.js';
import type { UsageChange } from '../models/usageChanges.js';
import { usageDayModel } from '../models/usageDay.js';
import { UsageCompactor } from './usageCompactor.js';
import { UsageLedger, type UsageFigures } from './usageLedger.js';
import { UsageMeter } from './usageMeter.js';

const DAY_MS = 86_400_000;
const logger = winston.createLogger({ silent: true });
const NOW = new Date('2026-06-10T12:00:00Z');
const FIRST = new Date('2026-06-01T00:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY_MS);
const plain = (figures: UsageFigures) => Object.fromEntries(Object.entries(figures).map(([name, map]) => [name, Object.fromEntries([...(map as Map<unknown, number>)].sort())]));

describe('usage summaries of closed days', () => {
  let db: Connection;
  let compactor: UsageCompactor;
  let ledger: UsageLedger;
  /** This process's usage feed: what its meters and compactors announce, its ledger hears. */
  let feed: ChangeFeed<UsageChange>;
  const flushDocs = () => usageModel(db).find().lean<UsageDoc[]>();
  const everything = async () => ({
    everyone: plain(await ledger.figures('traffic', null, FIRST, NOW)),
    alice: plain(await ledger.figures('traffic', 'user:alice', FIRST, NOW)),
    bob: plain(await ledger.figures('traffic', 'user:bob', FIRST, NOW)),
  });

  beforeEach(async () => {
    db = await openTestDatabase('usagedays');
    feed = new ChangeFeed<UsageChange>(changeModels(db), 'usage', logger);
    compactor = new UsageCompactor(usageModel(db), usageDayModel(db), 0, logger, 0, feed);
    ledger = new UsageLedger(usageModel(db), usageDayModel(db), feed, logger);
    // Three processes, several flushes each, over three closed days and today.
    const meters = ['p1', 'p2', 'p3'].map((id) => new UsageMeter(usageModel(db), logger, id, feed));
    for (let flush = 0; flush < 3; flush += 1) {
      for (const [i, meter] of meters.entries()) {
        for (const ago of [0, 1, 2, 5]) {
          meter.record('traffic', 'user:alice', 100 + i + ago, { fileId: 'fa1' }, daysAgo(ago));
          meter.record('traffic', 'user:alice', 7, { fileId: 'fa2' }, daysAgo(ago));
          meter.record('traffic', 'user:bob', 1000 * (ago + 1), { fileId: 'fb1' }, daysAgo(ago));
          meter.record('remote', 'user:bob', 50, { label: 'example.org' }, daysAgo(ago));
        }
        await meter.flush();
      }
    }
  });

  it('answers the same figures from the summaries as from the flush documents, and keeps only the open day’s', async () => {
    const before = await everything();
    const remoteBefore = plain(await ledger.figures('remote', 'user:bob', FIRST, NOW));
    expect(before.alice.byDay[daysAgo(5).getTime() - (daysAgo(5).getTime() % DAY_MS)]).to.equal(3 * (105 + 106 + 107) + 9 * 7);
    const removed = await compactor.compact(NOW);
    expect(removed).to.be.greaterThan(0);
    expect(await everything()).to.deep.equal(before);
    expect(plain(await ledger.figures('remote', 'user:bob', FIRST, NOW))).to.deep.equal(remoteBefore);
    const left = await flushDocs();
    expect(left.every((doc) => new Date(doc.day).getTime() === NOW.getTime() - (NOW.getTime() % DAY_MS)), 'only today’s flush documents are left').to.equal(true);
    expect(await usageDayModel(db).countDocuments({ kind: 'traffic' }), 'everyone, alice and bob for each closed day').to.equal(3 * 3);
  });

  it('keeps the summaries it read in memory: a second chart of the same days reads none of them again', async () => {
    await compactor.compact(NOW);
    const first = await everything();
    // Were they read again, their absence would show.
    await usageDayModel(db).deleteMany({});
    expect(await everything()).to.deep.equal(first);
  });

  it('answers from memory once warm, kept current by what meters announce, in this process and in another', async () => {
    await compactor.compact(NOW);
    const before = await everything();
    // Were the summaries or the flush documents read again, their absence would show.
    await Promise.all([usageDayModel(db).deleteMany({}), usageModel(db).deleteMany({})]);
    expect(await everything()).to.deep.equal(before);

    const meter = new UsageMeter(usageModel(db), logger, 'p4', feed);
    meter.record('traffic', 'user:alice', 5, { fileId: 'fa2' }, NOW);
    await meter.flush();
    const today = NOW.getTime() - (NOW.getTime() % DAY_MS);
    expect((await everything()).alice.byDay[today]).to.equal(before.alice.byDay[today]! + 5);

    // Another process's meter: its announcement reaches this process through the database, within a poll.
    const otherProcess = new ChangeFeed<UsageChange>(changeModels(db), 'usage', logger);
    feed.start();
    try {
      const theirs = new UsageMeter(usageModel(db), logger, 'p5', otherProcess);
      theirs.record('traffic', 'user:bob', 9, { fileId: 'fb1' }, NOW);
      await theirs.flush();
      await waitFor(async () => (await everything()).bob.byDay[today] === before.bob.byDay[today]! + 9, 20_000, "the other process's flush");
    } finally {
      await feed.stop();
    }
  });

  it('takes up the summaries a compactor announces, once the flush documents they replace are gone from memory too', async () => {
    // Warm: every closed day is known to have no summary yet, the spans added up without one.
    const before = await everything();
    await compactor.compact(NOW);
    // The announcement makes the ledger read the flush documents again (in the background): only today's are left.
    await waitFor(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return JSON.stringify(await everything()) === JSON.stringify(before);
    }, 10_000, 'the figures from the new summaries');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await everything()).to.deep.equal(before);
  });

  it('counts a flush document that reaches the database after its day was summarised, once', async () => {
    await compactor.compact(NOW);
    const before = await everything();
    // A process retrying a flush that had failed for one document: a later number of a flush already summarised.
    const late = { _id: 'p1:1:999', day: new Date(daysAgo(2).getTime() - (daysAgo(2).getTime() % DAY_MS)), kind: 'traffic' as const, owner: 'user:alice', fileId: 'fa2', label: null, value: 11 };
    await usageModel(db).create(late);
    await feed.publish({ op: 'flushed', docs: [late] });
    const after = await everything();
    expect(after.alice.byFile.fa2).to.equal(before.alice.byFile.fa2! + 11);
    expect(after.everyone.byFile.fa2).to.equal(before.everyone.byFile.fa2! + 11);
    await compactor.compact(NOW);
    expect(await everything(), 'the next compaction neither drops nor doubles it').to.deep.equal(after);
  });

  it('counts each document once when a compaction stopped before removing what it summarised', async () => {
    const documents = await flushDocs();
    const before = await everything();
    await compactor.compact(NOW);
    const removed = documents.filter((doc) => new Date(doc.day) < daysAgo(0.5));
    await usageModel(db).insertMany(removed);
    expect(await everything()).to.deep.equal(before);
    await compactor.compact(NOW);
    expect((await flushDocs()).length).to.equal(documents.length - removed.length);
  });

  it('ends with the same figures when several processes compact at once', async () => {
    const before = await everything();
    const others = [1, 2, 3].map(() => new UsageCompactor(usageModel(db), usageDayModel(db), 0, logger, 0, feed));
    await Promise.all([compactor, ...others].map((one) => one.compact(NOW)));
    expect(await everything()).to.deep.equal(before);
  });

  it('leaves a day alone until every process had time to flush it', async () => {
    const settling = new UsageCompactor(usageModel(db), usageDayModel(db), 3 * 3600_000, logger, 0, feed);
    const justAfterMidnight = new Date(NOW.getTime() - (NOW.getTime() % DAY_MS) + 3600_000);
    await settling.compact(justAfterMidnight);
    expect(await usageDayModel(db).exists({ _id: `traffic:user:alice:${daysAgo(1).toISOString().slice(0, 10)}` })).to.equal(null);
    expect(await usageDayModel(db).exists({ _id: `traffic:user:alice:${daysAgo(2).toISOString().slice(0, 10)}` })).to.not.equal(null);
  });

  it('removes what it read in one delete by day, sparing a document that landed after the read', async () => {
    const before = await everything();
    const model = usageModel(db);
    const day = new Date(daysAgo(2).getTime() - (daysAgo(2).getTime() % DAY_MS));
    // A retried flush lands between the compactor's read and its delete: stamped now, it must survive uncounted by any summary.
    const late = { _id: 'p9:1:0', day, kind: 'traffic' as const, owner: 'user:alice', fileId: 'fa2', label: null, value: 13 };
    const racing = Object.create(model) as typeof model;
    racing.find = ((...args: Parameters<typeof model.find>) => {
      const query = model.find(...args);
      return {
        lean: async () => {
          const read = await query.lean();
          await model.create({ ...late, savedAt: new Date() });
          await feed.publish({ op: 'flushed', docs: [late] });
          return read;
        },
      };
    }) as never;
    const today = NOW.getTime() - (NOW.getTime() % DAY_MS);
    const todays = (await flushDocs()).filter((doc) => new Date(doc.day).getTime() === today).length;
    const oneDelete = new UsageCompactor(racing, usageDayModel(db), 0, logger, 1, feed);
    expect(await oneDelete.compact(NOW)).to.be.greaterThan(0);
    const left = await flushDocs();
    expect(left.filter((doc) => new Date(doc.day).getTime() !== today).map((doc) => doc._id)).to.deep.equal(['p9:1:0']);
    expect(left.length).to.equal(todays + 1);
    const after = await everything();
    expect(after.alice.byFile.fa2).to.equal(before.alice.byFile.fa2! + 13);
  });

  it('removes more documents than one SQLite statement takes (32,766 variables), a run of days at a time', async function () {
    this.timeout(180_000);
    const model = usageModel(db);
    const savedAt = new Date(Date.now() - 3600_000);
    for (const ago of [20, 21, 22, 23]) {
      const day = new Date(daysAgo(ago).getTime() - (daysAgo(ago).getTime() % DAY_MS));
      const docs = Array.from({ length: 9_000 }, (_, i) => ({ _id: `big:${ago}:${i}`, day, kind: 'traffic', owner: 'user:carol', fileId: `f${i % 300}`, label: null, value: 1, savedAt }));
      for (let i = 0; i < docs.length; i += 5000) await model.insertMany(docs.slice(i, i + 5000), { lean: true });
    }
    const before = plain(await ledger.figures('traffic', 'user:carol', daysAgo(24), NOW));
    await compactor.compact(NOW);
    expect(await model.countDocuments({ owner: 'user:carol' })).to.equal(0);
    expect(plain(await ledger.figures('traffic', 'user:carol', daysAgo(24), NOW))).to.deep.equal(before);
  });
});
