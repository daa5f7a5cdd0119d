import { Schema, type ChangeFeed, type Connection, type Model } from '@mediahost/core';
import { announceFileChanges } from './fileChanges.js';
import { announceStorageChanges, type StorageChange } from './storageChanges.js';
import { guardFileStateWrites } from './fileStateGuard.js';

export type FileStatus = 'processing' | 'ready' | 'failed';
/** `waiting`: identical bytes are being transcoded for another file, whose media this one will share. */
export type EncodingStatus = 'queued' | 'waiting' | 'running' | 'ready' | 'failed';

export interface TrackDoc {
  id: string;
  index: number;
  codec: string;
  language?: string;
  title?: string;
  channels?: number;
}

export interface RenditionDoc {
  name: string;
  width: number;
  height: number;
  videoBitrateKbps: number;
}

export interface EncodingDoc {
  jobId?: string;
  status: EncodingStatus;
  progress: number;
  error?: string;
  attempts: number;
  startedAt?: Date;
  finishedAt?: Date;
  /** The file whose transcode this one waits on or took its media from. */
  sharedFrom?: string;
}

export interface FileOrigin {
  source: string;
  [detail: string]: unknown;
}

export interface TagRef {
  id: number;
  name: string;
}

/**
 * A media file: its source, what ffprobe found in it, and what transcoding made of it. `_id` is the UUID in its URLs,
 * `linkId` the numeric id VideoCMS clients use (LinkID).
 */
export interface FileDoc {
  _id: string;
  linkId: number;
  owner: string;
  name: string;
  folderId: number | null;
  tags: TagRef[];
  sha256: string;
  /**
   * Where a video another plugin handed over came from (a live recording, an editor export): the source key it was
   * delivered under and what that plugin said of it (session, participants, times; the timeline…).
   */
  origin?: FileOrigin;
  /** The tus upload it came from, so finalizing twice gives the same file. */
  uploadId?: string;
  size: number;
  sourceName: string;
  status: FileStatus;
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  audio: TrackDoc[];
  subtitles: TrackDoc[];
  renditions: RenditionDoc[];
  thumbnails: number;
  views: number;
  encoding: EncodingDoc;
  createdAt: Date;
  updatedAt: Date;
}

const track = new Schema<TrackDoc>(
  { id: String, index: Number, codec: String, language: String, title: String, channels: Number },
  { _id: false },
);

const fileSchema = new Schema<FileDoc>(
  {
    _id: { type: String, required: true },
    linkId: { type: Number, required: true, unique: true },
    owner: { type: String, required: true, index: true },
    name: { type: String, required: true },
    folderId: { type: Number, default: null, index: true },
    tags: { type: [new Schema<TagRef>({ id: Number, name: String }, { _id: false })], default: [] },
    sha256: { type: String, required: true, index: true },
    uploadId: { type: String, index: true },
    origin: { type: Schema.Types.Mixed },
    size: { type: Number, required: true },
    sourceName: { type: String, required: true },
    status: { type: String, required: true, index: true },
    durationSeconds: { type: Number, default: 0 },
    width: Number,
    height: Number,
    fps: Number,
    audio: { type: [track], default: [] },
    subtitles: { type: [track], default: [] },
    renditions: { type: [new Schema<RenditionDoc>({ name: String, width: Number, height: Number, videoBitrateKbps: Number }, { _id: false })], default: [] },
    thumbnails: { type: Number, default: 0 },
    views: { type: Number, default: 0 },
    encoding: {
      jobId: String,
      status: { type: String, default: 'queued' },
      progress: { type: Number, default: 0 },
      error: String,
      attempts: { type: Number, default: 0 },
      startedAt: Date,
      finishedAt: Date,
      sharedFrom: String,
    },
  },
  { timestamps: true },
);

/**
 * `changes`: where writes that change what a listing shows are announced (fileChanges.ts; services/fileListCache.ts listens);
 * `storage`: where files' bytes coming and going are announced (storageChanges.ts; services/storageIndex.ts listens).
 */
export function fileModel(db: Connection, changes?: ChangeFeed<{ owner?: string }>, storage?: ChangeFeed<StorageChange>): Model<FileDoc> {
  const schema = fileSchema.clone();
  guardFileStateWrites(schema);
  if (changes) announceFileChanges(schema, () => changes);
  if (storage) announceStorageChanges(schema, () => storage);
  return db.model<FileDoc>('PublishFile', schema, 'publish_files');
}
