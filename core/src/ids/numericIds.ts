import { Schema, type Connection, type Model } from 'mongoose';

/** Numbers handed out one by one per named sequence (the numeric ids of the APIs plugins imitate). */
export interface NumericIds {
  /** The next number of `sequence`: never one issued before, above every number issued before by this process; gaps may occur. */
  next(sequence: string): Promise<number>;
  /**
   * For numbers issued before this service existed: `next(sequence)` stays above what `floor` resolves to. It is asked
   * once, when the sequence is first used on this database; register it before then (in setup).
   */
  continueAfter(sequence: string, floor: () => Promise<number>): void;
}

interface ClaimDoc {
  _id: string;
}

interface HintDoc {
  _id: string;
  seq: number;
}

const claimSchema = new Schema<ClaimDoc>({ _id: { type: String, required: true } }, { versionKey: false });
const hintSchema = new Schema<HintDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false });
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/**
 * One algorithm for FerretDB v1 and MongoDB alike. Each number is taken by inserting its claim under a unique _id
 * (`<plugin>.<sequence>:<n>`), the one write FerretDB's SQLite backend makes atomic: its findAndModify and `$inc`
 * read then write, so concurrent callers would get the same number. The hint document only says where to start
 * looking; a lost update may set it back a little, which costs a few duplicate-key retries, never a reissued number:
 * it is created at the sequence's floor and only ever set to numbers claimed above it.
 */
export class NumericIdService {
  private readonly claims: Model<ClaimDoc>;
  private readonly hints: Model<HintDoc>;

  constructor(db: Connection) {
    this.claims = db.models.CoreNumericIdClaim ?? db.model<ClaimDoc>('CoreNumericIdClaim', claimSchema, 'core_numeric_id_claims');
    this.hints = db.models.CoreNumericIdHint ?? db.model<HintDoc>('CoreNumericIdHint', hintSchema, 'core_numeric_id_hints');
  }

  forPlugin(plugin: string): NumericIds {
    const floors = new Map<string, () => Promise<number>>();
    /** The last number this process took per sequence: the hint may lag behind it. */
    const taken = new Map<string, number>();
    const start = async (key: string, sequence: string): Promise<number> => {
      const hint = await this.hints.findById(key).lean<HintDoc>();
      if (hint) return hint.seq;
      const floor = (await floors.get(sequence)?.()) ?? 0;
      await this.hints.create({ _id: key, seq: floor }).catch((error: unknown) => {
        if (!isDuplicate(error)) throw error;
      });
      return floor;
    };
    return {
      continueAfter: (sequence, floor) => {
        floors.set(sequence, floor);
      },
      next: async (sequence) => {
        const key = `${plugin}.${sequence}`;
        for (let candidate = Math.max(await start(key, sequence), taken.get(key) ?? 0) + 1; ; candidate += 1) {
          try {
            await this.claims.create({ _id: `${key}:${candidate}` });
          } catch (error) {
            if (isDuplicate(error)) continue;
            throw error;
          }
          taken.set(key, Math.max(candidate, taken.get(key) ?? 0));
          await this.hints.updateOne({ _id: key }, { $max: { seq: candidate } });
          return candidate;
        }
      },
    };
  }
}
