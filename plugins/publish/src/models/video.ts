import { Schema, type Connection, type Model } from '@mediahost/core';

/** OpenVeo's video states: processing ends at READY, publishing moves a video to PUBLISHED. */
export const VideoState = { ERROR: 0, PENDING: 1, READY: 11, PUBLISHED: 12 } as const;

export interface VideoDoc {
  _id: string;
  title: string;
  description: string;
  state: number;
  date: Date;
  views: number;
  category?: string;
  user?: string;
  groups: string[];
}

const videoSchema = new Schema<VideoDoc>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true, index: true },
    description: { type: String, default: '' },
    state: { type: Number, required: true, index: true },
    date: { type: Date, required: true, index: true },
    views: { type: Number, default: 0 },
    category: { type: String },
    user: { type: String, index: true },
    groups: { type: [String], default: [] },
  },
  { timestamps: true },
);

export function videoModel(db: Connection): Model<VideoDoc> {
  return db.model<VideoDoc>('PublishVideo', videoSchema, 'publish_videos');
}
