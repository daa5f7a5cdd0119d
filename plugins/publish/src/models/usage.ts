import { Schema, type Connection, type Model } from '@mediahost/core';

/** traffic: media bytes served; upload: bytes received; encoding: transcode seconds; remote: bytes fetched; remoteSeconds: their fetch time. */
export type UsageKind = 'traffic' | 'upload' | 'encoding' | 'remote' | 'remoteSeconds';

/**
 * One flush's sum for one owner, file (or domain) and UTC day. Flushes only ever insert (FerretDB's $inc is not
 * atomic across processes): a day's figure is the sum of its documents, taken at read time.
 */
export interface UsageDoc {
  _id: string;
  day: Date;
  kind: UsageKind;
  owner: string;
  fileId: string | null;
  /** The remote download's domain. */
  label: string | null;
  value: number;
  /** When the attempt that wrote it was sent (a retried flush is stamped anew); absent on documents of earlier versions. */
  savedAt?: Date;
}

const usageSchema = new Schema<UsageDoc>({
  _id: { type: String, required: true },
  day: { type: Date, required: true },
  kind: { type: String, required: true },
  owner: { type: String, required: true },
  fileId: { type: String, default: null },
  label: { type: String, default: null },
  value: { type: Number, required: true },
  savedAt: { type: Date },
});
usageSchema.index({ kind: 1, owner: 1, day: 1 });
usageSchema.index({ kind: 1, day: 1 });

export function usageModel(db: Connection): Model<UsageDoc> {
  return db.model<UsageDoc>('PublishUsage', usageSchema, 'publish_usage');
}
