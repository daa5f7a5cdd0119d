import { Schema, type Connection, type Model } from '@mediahost/core';

export const USAGE_METRICS = ['uploads', 'edits', 'exports', 'exportedEdits'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** One thing that happened in an instance, counted by the usage reports. */
export interface UsageEventDoc {
  _id: string;
  instanceId: number;
  /** uploads: a file arrived; edits: a timeline was made; exports: an export completed (subject: its timeline). */
  kind: 'upload' | 'edit' | 'export';
  subject: number;
  at: Date;
}

const usageSchema = new Schema<UsageEventDoc>({
  _id: { type: String, required: true },
  instanceId: { type: Number, required: true },
  kind: { type: String, required: true },
  subject: { type: Number, required: true },
  at: { type: Date, required: true },
});
usageSchema.index({ instanceId: 1, kind: 1, at: 1 });

export function usageEventModel(db: Connection): Model<UsageEventDoc> {
  return db.model<UsageEventDoc>('EditorUsageEvent', usageSchema, 'editor_usage_events');
}
