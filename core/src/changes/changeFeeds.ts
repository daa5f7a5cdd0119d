import type { Connection } from 'mongoose';
import type { Logger } from '../log/createLogger.js';
import { ChangeFeed, changeModels, type ChangeModels } from './changeFeed.js';

/** The feeds a process's plugins opened, polled while the process serves. */
export class ChangeFeeds {
  private readonly models: ChangeModels;
  private readonly feeds = new Map<string, ChangeFeed<unknown>>();
  private started = false;

  constructor(connection: Connection, private readonly logger: Logger) {
    this.models = changeModels(connection);
  }

  /** The feed of a topic, one per process. */
  feed<T>(topic: string): ChangeFeed<T> {
    let feed = this.feeds.get(topic);
    if (!feed) {
      feed = new ChangeFeed<unknown>(this.models, topic, this.logger);
      this.feeds.set(topic, feed);
      if (this.started) feed.start();
    }
    return feed as ChangeFeed<T>;
  }

  start(): void {
    this.started = true;
    for (const feed of this.feeds.values()) feed.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.feeds.values()].map((feed) => feed.stop()));
  }
}
