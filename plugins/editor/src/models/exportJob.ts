import { Schema, type Connection, type Model } from '@mediahost/core';
import type { Track } from './timelineSchema.js';

export type ExportStatus = 'QUEUED' | 'RENDERING' | 'COMPLETED' | 'FAILED';

/** A render of a timeline to MP4; `_id` is WeVideo's "2014_07_03_<uuid>"; the tracks are those of the timeline when it started. */
export interface ExportDoc {
  _id: string;
  instanceId: number;
  userId: number;
  timelineId: number;
  title: string;
  description: string;
  tracks: Track[];
  durationMs: number;
  status: ExportStatus;
  progress: number;
  fileId?: number;
  fileSize?: number;
  error?: string;
  jobId?: string;
  /** Once rendered, it becomes a video of the instance's application's publish library (docs/flows.md). */
  publishToLibrary?: boolean;
  createdAt: Date;
  finishedAt?: Date;
}

const exportSchema = new Schema<ExportDoc>(
  {
    _id: { type: String, required: true },
    instanceId: { type: Number, required: true },
    userId: { type: Number, required: true, index: true },
    timelineId: { type: Number, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    tracks: { type: Schema.Types.Mixed, default: [] },
    durationMs: { type: Number, required: true },
    status: { type: String, required: true },
    progress: { type: Number, default: 0 },
    fileId: Number,
    fileSize: Number,
    error: String,
    jobId: String,
    publishToLibrary: Boolean,
    finishedAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);

export function exportModel(db: Connection): Model<ExportDoc> {
  return db.model<ExportDoc>('EditorExport', exportSchema, 'editor_exports');
}
