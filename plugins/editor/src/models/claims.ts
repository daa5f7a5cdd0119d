import { Schema, type Connection, type Model } from '@mediahost/core';

interface ClaimDoc {
  _id: string;
  at: Date;
}

const claimSchema = new Schema<ClaimDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });

/**
 * Things only one caller may have: an id, a one-time token's use, an upload URL's PUT. FerretDB v1 reads then
 * writes in findOneAndUpdate/findOneAndDelete, so two concurrent callers can both "win" those; an insert of the
 * same _id succeeds only once.
 */
export class Claims {
  private readonly claims: Model<ClaimDoc>;

  constructor(db: Connection) {
    this.claims = db.model<ClaimDoc>('EditorClaim', claimSchema, 'editor_claims');
  }

  async claim(key: string): Promise<boolean> {
    try {
      await this.claims.create({ _id: key, at: new Date() });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** Forgets the claims of a kind made before `before` (one-time tokens long expired). */
  async purge(kind: string, before: Date): Promise<void> {
    await this.claims.deleteMany({ _id: { $regex: `^${kind}:` }, at: { $lt: before } });
  }

  async release(key: string): Promise<void> {
    await this.claims.deleteOne({ _id: key });
  }
}
