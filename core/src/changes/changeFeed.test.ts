import { expect } from 'chai';
import type { Connection } from 'mongoose';
import winston from 'winston';
import { openTestDatabase } from '../../../test/support/globalDatabase.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { ChangeFeed, changeModels } from './changeFeed.js';

describe('ChangeFeed across processes', () => {
  let db: Connection;
  const logger = winston.createLogger({ silent: true });
  before(async () => {
    db = await openTestDatabase('changefeed');
  });
  after(() => db.close());

  it('hands every change to the other processes as it was published, an empty object included', async () => {
    const models = changeModels(db);
    // Two processes: one feed each on the same topic.
    const here = new ChangeFeed<{ owner?: string }>(models, 'files', logger, 50);
    const there = new ChangeFeed<{ owner?: string }>(changeModels(db), 'files', logger, 50);
    const heard: unknown[] = [];
    there.listen({ change: (data) => void heard.push(data), resync: () => undefined });
    there.start();
    try {
      await here.publish({ owner: 'app:1' });
      await here.publish({});
      await waitFor(() => heard.length === 2, 10_000, 'both changes in the other process');
      expect(heard).to.deep.equal([{ owner: 'app:1' }, {}]);
    } finally {
      await there.stop();
    }
  });
});
