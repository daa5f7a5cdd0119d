import { Schema, type Connection, type Model } from '@mediahost/core';

interface CounterDoc {
  _id: string;
  seq: number;
}

interface ClaimDoc {
  _id: string;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } });
const claimSchema = new Schema<ClaimDoc>({ _id: { type: String, required: true } }, { versionKey: false });

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/**
 * WeVideo's ids are numbers: one counter per kind of object. FerretDB v1 runs findOneAndUpdate as a read then a
 * write, so concurrent $inc can hand out the same number; inserting a claim of the number, which only one insert
 * can win, makes each id unique whatever the database.
 */
export class NumericIds {
  private readonly counters: Model<CounterDoc>;
  private readonly claims: Model<ClaimDoc>;

  constructor(db: Connection) {
    this.counters = db.model<CounterDoc>('EditorCounter', counterSchema, 'editor_counters');
    this.claims = db.model<ClaimDoc>('EditorIdClaim', claimSchema, 'editor_id_claims');
  }

  async next(kind: string): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        const counter = await this.counters.findOneAndUpdate({ _id: kind }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>();
        const id = 1000 + counter!.seq;
        await this.claims.create({ _id: `${kind}:${id}` });
        return id;
      } catch (error) {
        // a concurrent first upsert of the counter, or a number another caller claimed: take the next one
        if (!isDuplicate(error)) throw error;
      }
    }
    throw new Error(`could not allocate a ${kind} id`);
  }
}
