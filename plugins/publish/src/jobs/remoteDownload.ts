import { mkdir, rm } from 'node:fs/promises';
import { defineJob, jobType, safeDownload, type JobRun, type Model, type Storage } from '@mediahost/core';
import type { PublishConfig } from '../config.js';
import type { RemoteDownloadDoc } from '../models/remoteDownload.js';
import type { FileService } from '../services/files.js';
import type { Ingest } from '../services/ingest.js';
import type { UsageMeter } from '../services/usageMeter.js';

interface Deps {
  downloads: Model<RemoteDownloadDoc>;
  files: FileService;
  ingest: Ingest;
  storage: Storage;
  config: PublishConfig;
  allowedNetworks: string[];
  usage: UsageMeter;
  /** Refuses (413) bytes that would take the owner past their storage quota, as an upload's. */
  assertRoomToStore: (owner: string, bytes: number) => Promise<void>;
}

export const REMOTE_DOWNLOAD = jobType<{ downloadId: number }>('remote-download');

const WATCH_INTERVAL_MS = 1000;
/** Set as Progress once the bytes are in and the file is being imported, as VideoCMS does. */
const IMPORTING_PROGRESS = 0.95;

class CanceledError extends Error {}

async function download(deps: Deps, job: JobRun<{ downloadId: number }>): Promise<void> {
  const { downloads, storage, config } = deps;
  const id = job.data.downloadId;
  // A row that is no longer active was canceled, deleted or finished meanwhile; a running one is a job that died: start over.
  const row = await downloads
    .findOneAndUpdate(
      { _id: id, status: { $in: ['pending', 'downloading', 'importing'] } },
      { $set: { status: 'downloading', startedAt: new Date(), progress: 0, bytesDownloaded: 0, error: '' } },
      { returnDocument: 'after' },
    )
    .lean<RemoteDownloadDoc>();
  if (!row) return;
  const uploadId = `remote:${id}`;
  const already = await deps.ingest.fromUpload(row.owner, uploadId);
  if (already) {
    await finish(deps, id, { status: 'completed', progress: 1, linkId: already.linkId, linkUuid: already._id });
    return;
  }

  const target = storage.resolve(`incoming/remote-${id}`);
  const abort = new AbortController();
  let received = 0;
  let total = 0;
  const watch = setInterval(() => {
    const progress = total > 0 ? Math.min(0.94, Math.round((received / total) * 100) / 100) : 0;
    void downloads
      .findOneAndUpdate({ _id: id }, { $set: { bytesDownloaded: received, totalSize: total, progress } }, { returnDocument: 'after' })
      .lean<RemoteDownloadDoc>()
      .then((current) => {
        if (!current || current.status === 'canceling' || current.status === 'canceled') abort.abort(new CanceledError('Download canceled'));
      })
      .catch(() => undefined);
    void job.progress(Math.round(progress * 100)).catch(() => undefined);
  }, WATCH_INTERVAL_MS);

  try {
    await mkdir(storage.resolve('incoming'), { recursive: true });
    const got = await safeDownload(row.url, target, {
      maxBytes: config.maxUploadBytes,
      timeoutMs: config.remoteDownloads.timeoutSeconds * 1000,
      maxRedirects: config.remoteDownloads.maxRedirects,
      allowedNetworks: deps.allowedNetworks,
      signal: abort.signal,
      onProgress: (bytes, size) => {
        received = bytes;
        total = size ?? 0;
      },
    });
    clearInterval(watch);
    const fetchedFor = { label: new URL(row.url).hostname };
    deps.usage.record('remote', row.owner, got.bytes, fetchedFor);
    deps.usage.record('remoteSeconds', row.owner, (Date.now() - (row.startedAt?.getTime() ?? Date.now())) / 1000, fetchedFor);
    const name = got.fileName.slice(0, 128);
    const importing = await downloads
      .findOneAndUpdate({ _id: id, status: 'downloading' }, { $set: { status: 'importing', name, progress: IMPORTING_PROGRESS, bytesDownloaded: got.bytes, totalSize: total || got.bytes } }, { returnDocument: 'after' })
      .lean<RemoteDownloadDoc>();
    if (!importing) throw new CanceledError('Download canceled');
    await deps.assertRoomToStore(row.owner, got.bytes);
    const folderId = await deps.files.ownFolderOrRoot(row.owner, row.folderId).catch(() => null);
    const file = await deps.ingest.ingest({ owner: row.owner, path: target, name, folderId, uploadId });
    await finish(deps, id, { status: 'completed', progress: 1, linkId: file.linkId, linkUuid: file._id });
  } catch (error) {
    if (error instanceof CanceledError || abort.signal.aborted) {
      await finish(deps, id, { status: 'canceled', progress: 0, error: 'Download canceled', canceledAt: new Date() });
    } else {
      job.logger.warn('remote download failed', { downloadId: id, error: (error as Error).message });
      await finish(deps, id, { status: 'failed', error: (error as Error).message.slice(0, 1000) });
    }
  } finally {
    clearInterval(watch);
    await rm(target, { force: true });
  }
}

function finish(deps: Deps, id: number, changes: Partial<RemoteDownloadDoc>): Promise<unknown> {
  return deps.downloads.updateOne({ _id: id }, { $set: { ...changes, finishedAt: new Date() } }).exec();
}

/** Fetches a remote download into a new file. Failures end in the row (the user retries), so the job itself never retries. */
export function remoteDownloadJob(deps: Deps) {
  return defineJob(REMOTE_DOWNLOAD, (_payload, job) => download(deps, job), { concurrency: deps.config.remoteDownloads.concurrency, maxRetries: 0, lockLifetimeMs: 60_000 });
}
