import { assertWebUrl, ConflictError, HttpError, NotFoundError, type JobHandle, type Model, type NumericIds } from '@mediahost/core';
import type { AccountLimits } from './accountLimits.js';
import { TERMINAL_STATUSES, type DownloadStatus, type RemoteDownloadDoc } from '../models/remoteDownload.js';

/** The name a download shows until the server's Content-Disposition gives a better one. */
export function nameFromUrl(url: URL): string {
  let last = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  try {
    last = decodeURIComponent(last);
  } catch {
    // keep it encoded
  }
  return (last.replace(/[/\\\0]/g, '_').slice(0, 128) || url.hostname).slice(0, 128);
}

/** An owner's remote downloads: queued as jobs, canceled through their row (the job watches it), retried, cleared. */
export class RemoteDownloads {
  constructor(
    private readonly downloads: Model<RemoteDownloadDoc>,
    private readonly counters: NumericIds,
    private readonly download: JobHandle<{ downloadId: number }>,
    private readonly limits: AccountLimits,
  ) {}

  async create(owner: string, urls: string[], folderId: number | null): Promise<RemoteDownloadDoc[]> {
    await this.limits.assertMayDownload(owner);
    const parsed = urls.map((url) => assertWebUrl(url));
    await this.assertRoomFor(owner, parsed.length);
    const created: RemoteDownloadDoc[] = [];
    for (const url of parsed) {
      const row = await this.downloads.create({ _id: await this.counters.next('download'), owner, folderId, url: url.href, name: nameFromUrl(url) });
      await this.download.enqueue({ downloadId: row._id });
      created.push(row.toObject());
    }
    return created;
  }

  list(owner: string, query: { status?: DownloadStatus; limit: number; offset: number }): Promise<RemoteDownloadDoc[]> {
    return this.downloads
      .find({ owner, ...(query.status ? { status: query.status } : {}) })
      .sort({ createdAt: -1, _id: -1 })
      .skip(query.offset)
      .limit(query.limit)
      .lean<RemoteDownloadDoc[]>()
      .exec();
  }

  async cancel(owner: string, id: number): Promise<void> {
    const row = await this.own(owner, id);
    if (TERMINAL_STATUSES.includes(row.status)) throw new ConflictError('download is already finished');
    const now = new Date();
    // A pending row is canceled at once; a running one is marked, and its job stops and confirms.
    const pending = await this.downloads.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'canceled', error: 'Download canceled', canceledAt: now, cancelRequestedAt: now, finishedAt: now } });
    if (pending.modifiedCount === 0) {
      await this.downloads.updateOne({ _id: id, status: { $in: ['downloading', 'importing'] } }, { $set: { status: 'canceling', error: 'Cancellation requested', cancelRequestedAt: now } });
    }
  }

  async retry(owner: string, id: number): Promise<RemoteDownloadDoc> {
    await this.limits.assertMayDownload(owner);
    const row = await this.own(owner, id);
    if (row.status !== 'failed' && row.status !== 'canceled') throw new ConflictError('only failed or canceled downloads can be retried');
    await this.assertRoomFor(owner, 1);
    const reset = await this.downloads
      .findOneAndUpdate(
        { _id: id, status: row.status },
        { $set: { status: 'pending', progress: 0, error: '', bytesDownloaded: 0, totalSize: 0, startedAt: null, finishedAt: null, cancelRequestedAt: null, canceledAt: null } },
        { returnDocument: 'after' },
      )
      .lean<RemoteDownloadDoc>();
    if (!reset) throw new ConflictError('only failed or canceled downloads can be retried');
    await this.download.enqueue({ downloadId: id });
    return reset;
  }

  async remove(owner: string, id: number): Promise<void> {
    const row = await this.own(owner, id);
    if (!TERMINAL_STATUSES.includes(row.status)) throw new ConflictError('active downloads cannot be deleted');
    await this.downloads.deleteOne({ _id: id, status: { $in: TERMINAL_STATUSES } });
  }

  async clear(owner: string, statuses: DownloadStatus[]): Promise<number> {
    const { deletedCount } = await this.downloads.deleteMany({ owner, status: { $in: statuses } });
    return deletedCount;
  }

  private async own(owner: string, id: number): Promise<RemoteDownloadDoc> {
    const row = Number.isSafeInteger(id) && id > 0 ? await this.downloads.findOne({ _id: id, owner }).lean<RemoteDownloadDoc>() : null;
    if (!row) throw new NotFoundError('download not found');
    return row;
  }

  private async assertRoomFor(owner: string, count: number): Promise<void> {
    const { maxRemoteDownloads } = await this.limits.of(owner);
    const active = await this.downloads.countDocuments({ owner, status: { $nin: TERMINAL_STATUSES } });
    if (active + count > maxRemoteDownloads) throw new HttpError(429, 'too_many_requests', `Queue limit reached: at most ${maxRemoteDownloads} active downloads`);
  }
}
