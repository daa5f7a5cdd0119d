import { Schema, type Connection, type Model } from '@mediahost/core';

type CounterKind = 'link' | 'folder' | 'tag' | 'download' | 'webhook' | 'apikey' | 'upload';

interface CounterDoc {
  _id: string;
  seq: number;
}

interface ClaimDoc {
  _id: string;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } });
const claimSchema = new Schema<ClaimDoc>({ _id: { type: String, required: true } });
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/**
 * Numeric ids as VideoCMS clients expect them (LinkID, FolderID…). An id is taken by inserting its claim under a
 * unique _id, the one write FerretDB's SQLite backend makes atomic: its findAndModify reads and writes separately, so
 * concurrent `$inc`s there hand out the same number twice. The counter document is only a hint of where to start.
 */
export class Counters {
  private readonly counters: Model<CounterDoc>;
  private readonly claims: Model<ClaimDoc>;

  constructor(db: Connection) {
    this.counters = db.model<CounterDoc>('PublishCounter', counterSchema, 'publish_counters');
    this.claims = db.model<ClaimDoc>('PublishCounterClaim', claimSchema, 'publish_counter_claims');
  }

  async next(kind: CounterKind): Promise<number> {
    const hint = await this.counters.findById(kind).lean<CounterDoc>();
    for (let candidate = (hint?.seq ?? 0) + 1; ; candidate += 1) {
      try {
        await this.claims.create({ _id: `${kind}:${candidate}` });
      } catch (error) {
        if (isDuplicate(error)) continue;
        throw error;
      }
      await this.counters.updateOne({ _id: kind }, { $max: { seq: candidate } }, { upsert: true }).catch((error: unknown) => {
        if (!isDuplicate(error)) throw error;
      });
      return candidate;
    }
  }
}
