import { Schema, type Connection, type Model } from '@mediahost/core';

interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } });

/** WeVideo's ids are numbers: one atomic counter per kind of object. */
export class NumericIds {
  private readonly counters: Model<CounterDoc>;

  constructor(db: Connection) {
    this.counters = db.model<CounterDoc>('EditorCounter', counterSchema, 'editor_counters');
  }

  async next(kind: string): Promise<number> {
    const counter = await this.counters.findOneAndUpdate({ _id: kind }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>();
    return 1000 + counter!.seq;
  }
}
