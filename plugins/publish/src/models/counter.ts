import { Schema, type Connection, type Model } from '@mediahost/core';

interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } });

/** Numeric ids as VideoCMS clients expect them (LinkID, FolderID…), from one atomic counter per kind. */
export class Counters {
  private readonly counters: Model<CounterDoc>;

  constructor(db: Connection) {
    this.counters = db.model<CounterDoc>('PublishCounter', counterSchema, 'publish_counters');
  }

  async next(kind: 'link' | 'folder' | 'tag' | 'apikey'): Promise<number> {
    const counter = await this.counters.findOneAndUpdate({ _id: kind }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>();
    return counter!.seq;
  }
}
