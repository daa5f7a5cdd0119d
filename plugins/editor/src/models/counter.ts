import { Schema, type Connection, type Model } from '@mediahost/core';
import { Claims } from './claims.js';

interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } });

/**
 * WeVideo's ids are numbers: one counter per kind of object. Concurrent $inc can hand out the same number on
 * FerretDB v1, so each number is also claimed, and a number someone else claimed is skipped.
 */
export class NumericIds {
  private readonly counters: Model<CounterDoc>;

  constructor(
    db: Connection,
    private readonly claims = new Claims(db),
  ) {
    this.counters = db.model<CounterDoc>('EditorCounter', counterSchema, 'editor_counters');
  }

  async next(kind: string): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      let counter: CounterDoc | null;
      try {
        counter = await this.counters.findOneAndUpdate({ _id: kind }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>();
      } catch (error) {
        // two first upserts of the counter at once: the loser tries again
        if ((error as { code?: number }).code === 11000) continue;
        throw error;
      }
      const id = 1000 + counter!.seq;
      if (await this.claims.claim(`id:${kind}:${id}`)) return id;
    }
    throw new Error(`could not allocate a ${kind} id`);
  }
}
