import { Schema, type Connection, type Model } from '@mediahost/core';

export type MediaType = 'video' | 'audio' | 'image';

/** A media file of a user: an upload, an import or an export. Stored under files/<id>/ in the plugin's storage. */
export interface MediaFileDoc {
  _id: number;
  instanceId: number;
  userId: number;
  folderId: number;
  title: string;
  description: string;
  type: MediaType;
  mimetype: string;
  size: number;
  durationMs: number;
  width: number;
  height: number;
  hasAudio: boolean;
  sourceName: string;
  /** proxy.mp4 beside the source, for videos. */
  hasProxy: boolean;
  origin: 'import' | 'upload' | 'export';
  ticketId?: string;
  createdAt: Date;
}

const mediaFileSchema = new Schema<MediaFileDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    userId: { type: Number, required: true, index: true },
    folderId: { type: Number, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    type: { type: String, required: true },
    mimetype: { type: String, required: true },
    size: { type: Number, required: true },
    durationMs: { type: Number, default: 0 },
    width: { type: Number, default: 0 },
    height: { type: Number, default: 0 },
    hasAudio: { type: Boolean, default: false },
    sourceName: { type: String, required: true },
    hasProxy: { type: Boolean, default: false },
    origin: { type: String, required: true },
    ticketId: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export function mediaFileModel(db: Connection): Model<MediaFileDoc> {
  return db.model<MediaFileDoc>('EditorMediaFile', mediaFileSchema, 'editor_files');
}
