import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Logger } from '../log/createLogger.js';

/** The log is read back this far: a change is seen by every live process long before it leaves the window. */
const LOG_WINDOW_MS = 60_000;
/** A process that could not poll for this long may have missed changes, and its listeners reload everything. */
const RESYNC_AFTER_MS = 30_000;
const PURGE_EVERY_MS = 60_000;

export interface ChangeListener<T> {
  change(data: T): void | Promise<void>;
  /** Changes may have been missed: reload everything. */
  resync(): void | Promise<void>;
}

interface ChangeDoc {
  _id: string;
  at: Date;
  topic: string;
  data: unknown;
}

interface HeadDoc {
  _id: string;
  stamp: string;
}

// minimize: false, or a change of `{}` ("every owner") would be stored without its data and reach the others as undefined.
const changeSchema = new Schema<ChangeDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    topic: { type: String, required: true },
    data: { type: Schema.Types.Mixed },
  },
  { minimize: false },
);
const headSchema = new Schema<HeadDoc>({ _id: { type: String, required: true }, stamp: { type: String, required: true } });

export interface ChangeModels {
  Change: Model<ChangeDoc>;
  Head: Model<HeadDoc>;
}

export function changeModels(connection: Connection): ChangeModels {
  return {
    Change: connection.model<ChangeDoc>('CoreChange', changeSchema, 'core_changes'),
    Head: connection.model<HeadDoc>('CoreChangeHead', headSchema, 'core_change_heads'),
  };
}

/**
 * Changes every process of the platform must learn about soon (an application deleted, a file renamed…), shared
 * through the database: each process polls its topic's head document by _id (every `pollMs`, no scan on
 * FerretDB's SQLite) and reads the short log only when the head moved. The process that publishes applies the
 * change at once; the others within a poll.
 */
export class ChangeFeed<T> {
  private readonly listeners: ChangeListener<T>[] = [];
  private readonly seen = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private lastPoll = Date.now();
  private lastPurge = 0;
  private headStamp?: string;
  private polling?: Promise<void>;

  constructor(
    private readonly models: ChangeModels,
    readonly topic: string,
    private readonly logger: Logger,
    private readonly pollMs = 250,
  ) {}

  listen(listener: ChangeListener<T>): void {
    this.listeners.push(listener);
  }

  /** Applies the change in this process first (a synchronous listener has done so when this returns its promise), then for the others. */
  async publish(data: T): Promise<void> {
    const _id = randomBytes(12).toString('hex');
    this.seen.set(_id, Date.now());
    for (const listener of this.listeners) await listener.change(data);
    await this.models.Change.create({ _id, at: new Date(), topic: this.topic, data });
    // After the log entry: a process that sees the new head finds the entry.
    await this.models.Head.updateOne({ _id: this.topic }, { $set: { stamp: _id } }, { upsert: true });
  }

  start(): void {
    if (this.timer) return;
    this.lastPoll = Date.now();
    const tick = () => {
      this.polling = this.poll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.pollMs).unref();
      });
    };
    this.timer = setTimeout(tick, this.pollMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private async poll(): Promise<void> {
    const started = Date.now();
    try {
      if (started - this.lastPoll > RESYNC_AFTER_MS) {
        for (const listener of this.listeners) await listener.resync();
      }
      const head = await this.models.Head.findById(this.topic).lean<HeadDoc>();
      if (head && head.stamp !== this.headStamp) {
        const recent = await this.models.Change.find({ topic: this.topic, at: { $gte: new Date(started - LOG_WINDOW_MS) } }).lean<ChangeDoc[]>();
        for (const change of recent.sort((a, b) => a.at.getTime() - b.at.getTime())) {
          if (this.seen.has(change._id)) continue;
          this.seen.set(change._id, started);
          for (const listener of this.listeners) await listener.change(change.data as T);
        }
        this.headStamp = head.stamp;
      }
      for (const [id, at] of this.seen) if (started - at > 2 * LOG_WINDOW_MS) this.seen.delete(id);
      this.lastPoll = started;
      if (started - this.lastPurge > PURGE_EVERY_MS) {
        this.lastPurge = started;
        await this.models.Change.deleteMany({ topic: this.topic, at: { $lt: new Date(started - 2 * LOG_WINDOW_MS) } });
      }
    } catch (error) {
      this.logger.warn('could not read the changes of other processes', { topic: this.topic, error });
    }
  }
}
