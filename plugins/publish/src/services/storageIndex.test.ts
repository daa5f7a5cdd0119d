import { expect } from 'chai';
import winston from 'winston';
import { ChangeFeed, changeModels } from '../../../../core/dist/changes/changeFeed.js';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { waitFor } from '../../../../test/support/waitFor.js';
import { fileModel } from '../models/file.js';
import { LIFECYCLE_WRITE } from '../models/fileStateGuard.js';
import type { StorageChange } from '../models/storageChanges.js';
import { largest, StorageIndex } from './storageIndex.js';

const file = (id: string, owner: string, size: number, linkId: number) =>
  ({ _id: id, owner, size, linkId, name: id, status: 'ready', sha256: id, durationSeconds: 1, width: 2, height: 2, fps: 25, sourceName: 's' }) as never;

describe('StorageIndex', () => {
  it('keeps the n largest in one pass, largest first', () => {
    expect(largest([['a', 3], ['b', 9], ['c', 1], ['d', 7], ['e', 9]] as [string, number][], 3)).to.deep.equal([['b', 9], ['e', 9], ['d', 7]]);
    expect(largest([['a', 1]] as [string, number][], 3)).to.deep.equal([['a', 1]]);
  });

  it('ranks what the collection held at load, then what any process adds or removes, within a poll', async () => {
    const db = await openTestDatabase('storageindex');
    const logger = winston.createLogger({ silent: true });
    const here = new ChangeFeed<StorageChange>(changeModels(db), 'publish.storage', logger, 50);
    const elsewhere = new ChangeFeed<StorageChange>(changeModels(db), 'publish.storage', logger, 50);
    // Written before any process listens: only the load can know of them.
    await fileModel(db).insertMany([file('a1', 'user:a', 500, 1), file('a2', 'user:a', 100, 2), file('b1', 'user:b', 300, 3)]);
    const writer = fileModel(db, undefined, here);
    const index = new StorageIndex(fileModel(db), elsewhere, logger);
    elsewhere.start();
    try {
      expect(await index.largestFiles('user:a', 10)).to.deep.equal([['a1', 500], ['a2', 100]]);
      expect(await index.largestFiles(null, 2)).to.deep.equal([['a1', 500], ['b1', 300]]);
      expect(await index.largestOwners(10)).to.deep.equal([['user:a', 600], ['user:b', 300]]);

      await writer.create(file('b2', 'user:b', 900, 4));
      await waitFor(async () => (await index.bytesOf('user:b')) === 1200, 5000, 'the other process to hear of the new file');
      expect(await index.largestFiles(null, 1)).to.deep.equal([['b2', 900]]);
      expect(await index.largestOwners(1)).to.deep.equal([['user:b', 1200]]);

      await writer.deleteOne({ _id: 'a1' });
      await waitFor(async () => (await index.bytesOf('user:a')) === 100, 5000, 'the other process to hear of the removal');
      expect([await index.filesOf('user:a'), await index.filesOf('user:b')]).to.deep.equal([1, 2]);
      expect(await index.largestFiles('user:a', 10)).to.deep.equal([['a2', 100]]);

      // A delete that names no single file makes every process read the collection again.
      await writer.deleteMany({ owner: 'user:b' });
      await waitFor(async () => (await index.bytesOf('user:b')) === 0, 5000, 'the other process to reload');
      expect(await index.bytesOf(null)).to.equal(100);
    } finally {
      await elsewhere.stop();
    }
  });

  it("holds the files being transcoded with what they have left to make, as their lifecycle moves them, in every process", async () => {
    const db = await openTestDatabase('storageindexqueue');
    const logger = winston.createLogger({ silent: true });
    const here = new ChangeFeed<StorageChange>(changeModels(db), 'publish.storage', logger, 50);
    const elsewhere = new ChangeFeed<StorageChange>(changeModels(db), 'publish.storage', logger, 50);
    const track = { id: 't', index: 1, codec: 'aac', language: 'eng', title: '', channels: 2 };
    const processing = (id: string, linkId: number) => ({ ...(file(id, 'user:a', 10, linkId) as object), status: 'processing', width: 640, height: 360, audio: [track], subtitles: [] }) as never;
    // Already queued when the process starts: the load finds it.
    await fileModel(db).insertMany([processing('q1', 1), file('r1', 'user:a', 10, 2)]);
    const writer = fileModel(db, undefined, here);
    const index = new StorageIndex(fileModel(db), elsewhere, logger);
    elsewhere.start();
    try {
      expect(await index.pendingEncodings()).to.deep.equal([{ width: 640, height: 360, audios: 1, subtitles: 0 }]);
      await writer.create(processing('q2', 3));
      await waitFor(async () => (await index.pendingEncodings()).length === 2, 5000, 'the other process to hear of the queued file');
      // The lifecycle's transitions answer the document after: a file that is ready leaves the queue, a retried one comes back.
      await writer.findOneAndUpdate({ _id: 'q1' }, { $set: { status: 'ready' } }, { returnDocument: 'after', ...LIFECYCLE_WRITE }).lean();
      await waitFor(async () => (await index.pendingEncodings()).length === 1, 5000, 'the other process to hear the file is ready');
      await writer.findOneAndUpdate({ _id: 'q1' }, { $set: { status: 'processing' } }, { returnDocument: 'after', ...LIFECYCLE_WRITE }).lean();
      await waitFor(async () => (await index.pendingEncodings()).length === 2, 5000, 'the other process to hear the file is queued again');
      await writer.deleteOne({ _id: 'q2' });
      await waitFor(async () => (await index.pendingEncodings()).length === 1, 5000, 'the other process to hear of the removal');
    } finally {
      await elsewhere.stop();
    }
  });
});
