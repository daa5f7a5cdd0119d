import { Schema, type Connection, type Model } from '@mediahost/core';

interface ClaimDoc {
  _id: string;
  /** The file that holds the claim, when it is held on a file's behalf. */
  fileId?: string;
  at: Date;
}

const claimSchema = new Schema<ClaimDoc>({ _id: { type: String, required: true }, fileId: String, at: { type: Date, required: true } }, { versionKey: false });

/**
 * Things that must happen once across processes (leading the transcode of some bytes, settling a file that waits on
 * it). FerretDB v1 reads then writes in findAndModify and conditional updates, so concurrent callers can all "win"
 * those; an insert of the same _id succeeds only once, on FerretDB as on MongoDB.
 */
export class Claims {
  private readonly claims: Model<ClaimDoc>;

  constructor(db: Connection) {
    this.claims = db.model<ClaimDoc>('PublishClaim', claimSchema, 'publish_claims');
  }

  async claim(key: string, fileId?: string): Promise<boolean> {
    try {
      await this.claims.create({ _id: key, fileId, at: new Date() });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** The file holding `key`, if any. */
  async holder(key: string): Promise<string | undefined> {
    return (await this.claims.findById(key).lean<ClaimDoc>())?.fileId;
  }

  /** Gives `key` up if `fileId` still holds it (deleting twice is harmless, so the read-then-delete may race). */
  async release(key: string, fileId: string): Promise<void> {
    await this.claims.deleteOne({ _id: key, fileId });
  }
}
