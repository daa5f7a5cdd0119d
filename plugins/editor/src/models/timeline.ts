import { Schema, type Connection, type Model } from '@mediahost/core';
import type { Track } from './timelineSchema.js';

/** A user's edit: tracks of clips and texts (see timelineSchema.ts), validated before it is stored. */
export interface TimelineDoc {
  _id: number;
  instanceId: number;
  userId: number;
  title: string;
  description: string;
  tracks: Track[];
  durationMs: number;
  createdAt: Date;
  updatedAt: Date;
}

const timelineSchema = new Schema<TimelineDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    userId: { type: Number, required: true, index: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    tracks: { type: Schema.Types.Mixed, default: [] },
    durationMs: { type: Number, default: 0 },
  },
  { timestamps: true, minimize: false },
);

export type TemplateStatus = 'draft' | 'published';

export interface TemplateDoc {
  _id: number;
  instanceId: number;
  userId: number;
  title: string;
  description: string;
  status: TemplateStatus;
  /** Global to the instance, rather than to the project of the timeline it came from. */
  global: boolean;
  tracks: Track[];
  durationMs: number;
  sourceTimelineId: number;
  createdAt: Date;
  updatedAt: Date;
}

const templateSchema = new Schema<TemplateDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    userId: { type: Number, required: true, index: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    status: { type: String, required: true },
    global: { type: Boolean, default: false },
    tracks: { type: Schema.Types.Mixed, default: [] },
    durationMs: { type: Number, default: 0 },
    sourceTimelineId: { type: Number, required: true },
  },
  { timestamps: true, minimize: false },
);

export function timelineModel(db: Connection): Model<TimelineDoc> {
  return db.model<TimelineDoc>('EditorTimeline', timelineSchema, 'editor_timelines');
}

export function templateModel(db: Connection): Model<TemplateDoc> {
  return db.model<TemplateDoc>('EditorTemplate', templateSchema, 'editor_templates');
}
