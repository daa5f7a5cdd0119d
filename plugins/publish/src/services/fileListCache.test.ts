import { expect } from 'chai';
import winston from 'winston';
import { ChangeFeed, changeModels } from '../../../../core/dist/changes/changeFeed.js';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { waitFor } from '../../../../test/support/waitFor.js';
import { fileModel } from '../models/file.js';
import { LIFECYCLE_WRITE } from './fileLifecycle.js';
import { FileListCache } from './fileListCache.js';

describe('FileListCache', () => {
  it('reuses a listing until a write that changes it is announced, here at once and in another process within a poll', async () => {
    const db = await openTestDatabase('filelist');
    const logger = winston.createLogger({ silent: true });
    const here = new ChangeFeed<{ owner?: string }>(changeModels(db), 'publish.files', logger, 50);
    const elsewhere = new ChangeFeed<{ owner?: string }>(changeModels(db), 'publish.files', logger, 50);
    const files = fileModel(db, here);
    const cacheHere = new FileListCache(here);
    const cacheElsewhere = new FileListCache(elsewhere);
    elsewhere.start();
    try {
      await files.create({ _id: 'f1', owner: 'app:a', name: 'first', status: 'processing', sha256: 'x', durationSeconds: 1, width: 2, height: 2, fps: 25, sourceName: 's', linkId: 1, size: 1 } as never);
      let reads = 0;
      const list = (cache: FileListCache) =>
        cache.get('app:a', 'all', async () => {
          reads++;
          return (await files.find({ owner: 'app:a' }).lean()).map((f) => `${f.name}:${f.status}`);
        });
      expect(await list(cacheHere)).to.deep.equal(['first:processing']);
      expect(await list(cacheElsewhere)).to.deep.equal(['first:processing']);
      expect(reads).to.equal(2);

      await files.updateOne({ _id: 'f1' }, { $set: { 'encoding.progress': 50 }, $inc: { views: 1 } }, { upsert: false, ...LIFECYCLE_WRITE });
      expect(await list(cacheHere)).to.deep.equal(['first:processing']);
      expect(reads, 'progress and play counts do not drop the listing').to.equal(2);

      await files.updateOne({ _id: 'f1' }, { $set: { status: 'ready', name: 'renamed' } }, { upsert: false, ...LIFECYCLE_WRITE });
      expect(await list(cacheHere)).to.deep.equal(['renamed:ready']);
      await waitFor(async () => (await list(cacheElsewhere))[0] === 'renamed:ready', 5000, 'the other process to drop its listing');

      await files.deleteOne({ _id: 'f1' });
      expect(await list(cacheHere)).to.deep.equal([]);
    } finally {
      await elsewhere.stop();
    }
  });

  describe('under concurrent reads', () => {
    let feed: ChangeFeed<{ owner?: string }>;
    before(async () => {
      feed = new ChangeFeed<{ owner?: string }>(changeModels(await openTestDatabase('filelist')), 'publish.files', winston.createLogger({ silent: true }), 50);
    });

    const deferred = () => {
      let resolve!: (value: string) => void;
      const promise = new Promise<string>((r) => (resolve = r));
      return { promise, resolve };
    };

    it('computes a listing missed by many clients at once only once', async () => {
      const cache = new FileListCache(feed);
      const computation = deferred();
      let reads = 0;
      const answers = Promise.all(Array.from({ length: 40 }, () => cache.get('app:a', 'all', () => (reads++, computation.promise))));
      computation.resolve('listing');
      expect(await answers).to.deep.equal(Array(40).fill('listing'));
      expect(reads).to.equal(1);
    });

    it('answers a listing past its lifetime at once while one refresh runs, then the refreshed one', async () => {
      const cache = new FileListCache(feed, 0);
      expect(await cache.get('app:a', 'all', async () => 'old')).to.equal('old');
      const refresh = deferred();
      let reads = 0;
      const during = await Promise.all([1, 2, 3].map(() => cache.get('app:a', 'all', () => (reads++, refresh.promise))));
      expect(during).to.deep.equal(['old', 'old', 'old']);
      expect(reads).to.equal(1);
      refresh.resolve('new');
      await refresh.promise;
      await new Promise((resolve) => setImmediate(resolve));
      expect(await cache.get('app:a', 'all', () => refresh.promise)).to.equal('new');
    });

    it('neither keeps nor shares a listing computed before a change to its owner', async () => {
      const cache = new FileListCache(feed);
      const before = deferred();
      const first = cache.get('app:a', 'all', () => before.promise);
      await feed.publish({ owner: 'app:a' });
      const after = cache.get('app:a', 'all', async () => 'after');
      before.resolve('before');
      expect(await first).to.equal('before');
      expect(await after, 'a read after the change does not join the older computation').to.equal('after');
      expect(await cache.get('app:a', 'all', async () => 'again')).to.equal('after');
    });
  });
});
