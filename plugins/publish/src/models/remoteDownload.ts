import { Schema, type Connection, type Model } from '@mediahost/core';

export const DOWNLOAD_STATUSES = ['pending', 'downloading', 'importing', 'completed', 'failed', 'canceling', 'canceled'] as const;
export type DownloadStatus = (typeof DOWNLOAD_STATUSES)[number];
export const TERMINAL_STATUSES: readonly DownloadStatus[] = ['completed', 'failed', 'canceled'];

/** A remote download (VideoCMS RemoteDownload): a URL fetched into a new file by a job. Progress is a fraction 0..1. */
export interface RemoteDownloadDoc {
  _id: number;
  owner: string;
  folderId: number | null;
  url: string;
  name: string;
  status: DownloadStatus;
  progress: number;
  error: string;
  bytesDownloaded: number;
  totalSize: number;
  linkId: number;
  linkUuid: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelRequestedAt: Date | null;
  canceledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const remoteDownloadSchema = new Schema<RemoteDownloadDoc>(
  {
    _id: { type: Number, required: true },
    owner: { type: String, required: true, index: true },
    folderId: { type: Number, default: null },
    url: { type: String, required: true },
    name: { type: String, default: '' },
    status: { type: String, enum: DOWNLOAD_STATUSES, default: 'pending' },
    progress: { type: Number, default: 0 },
    error: { type: String, default: '' },
    bytesDownloaded: { type: Number, default: 0 },
    totalSize: { type: Number, default: 0 },
    linkId: { type: Number, default: 0 },
    linkUuid: { type: String, default: '' },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    cancelRequestedAt: { type: Date, default: null },
    canceledAt: { type: Date, default: null },
  },
  { timestamps: true },
);

export function remoteDownloadModel(db: Connection): Model<RemoteDownloadDoc> {
  return db.model<RemoteDownloadDoc>('PublishRemoteDownload', remoteDownloadSchema, 'publish_remote_downloads');
}
