import { BadRequestError, NotFoundError, type Model, type PluginUrls, type Storage } from '@mediahost/core';
import type { FileDoc, FileStatus } from '../models/file.js';
import type { FileLifecycle } from './fileLifecycle.js';
import type { Folders, Owner } from './folders.js';
import { mediaLayout, MUTED_STREAM } from './mediaLayout.js';

export interface FileQuery {
  folderId?: number | null;
  status?: FileStatus;
  search?: string;
  tag?: string;
  sortBy: 'name' | 'createdAt' | 'size' | 'duration' | 'views';
  order: 'asc' | 'desc';
  page: number;
  limit: number;
}

const SORT: Record<FileQuery['sortBy'], string> = { name: 'name', createdAt: 'createdAt', size: 'size', duration: 'durationSeconds', views: 'views' };
const owned = (owner: Owner) => (owner ? { owner } : {});
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Files, always seen through their owner (another owner's file is as unknown as a missing one), or all of them for a manager. */
export class FileService {
  constructor(
    readonly files: Model<FileDoc>,
    readonly folders: Folders,
    private readonly storage: Storage,
    private readonly lifecycle: FileLifecycle,
    private readonly urls: PluginUrls,
  ) {}

  /** null (the root, ParentFolderID 0), or the id of a folder of the owner's. */
  async ownFolderOrRoot(owner: Owner, folderId: number | string | null | undefined): Promise<number | null> {
    if (folderId === null || folderId === undefined || folderId === '' || Number(folderId) === 0) return null;
    try {
      return (await this.folders.get(owner, Number(folderId)))._id;
    } catch {
      throw new BadRequestError(`Folder ${folderId} does not exist`);
    }
  }

  async own(owner: Owner, id: string): Promise<FileDoc> {
    const file = await this.files.findOne({ ...owned(owner), _id: id }).lean<FileDoc>();
    if (!file) throw new NotFoundError(`File ${id} not found`);
    return file;
  }

  /**
   * The owner's file with these bytes, for a clone: a ready one first. VideoCMS looks the hash up across every user;
   * here only the caller's own files answer, so a hash seen somewhere cannot be turned into a copy of someone else's video.
   */
  async ownBySha256(owner: string, sha256: string): Promise<FileDoc> {
    const candidates = await this.files.find({ owner, sha256, status: { $ne: 'failed' } }).lean<FileDoc[]>();
    const file = candidates.find((f) => f.status === 'ready') ?? candidates[0];
    if (!file) throw new NotFoundError('requested hash doesnt match any file');
    return file;
  }

  /** By VideoCMS LinkID. */
  async ownLink(owner: Owner, linkId: number): Promise<FileDoc> {
    const file = Number.isSafeInteger(linkId) && linkId > 0 ? await this.files.findOne({ ...owned(owner), linkId }).lean<FileDoc>() : null;
    if (!file) throw new NotFoundError(`LinkID ${linkId} not found`);
    return file;
  }

  async list(owner: Owner, query: FileQuery): Promise<{ items: FileDoc[]; total: number }> {
    const filter: Record<string, unknown> = { ...owned(owner) };
    if (query.folderId !== undefined) filter.folderId = query.folderId;
    if (query.status) filter.status = query.status;
    if (query.tag) filter['tags.name'] = query.tag;
    if (query.search) filter.name = new RegExp(escapeRegex(query.search), 'i');
    const [total, items] = await Promise.all([
      this.files.countDocuments(filter),
      this.files
        .find(filter)
        .sort({ [SORT[query.sortBy]]: query.order === 'asc' ? 1 : -1, _id: 1 })
        .skip(query.page * query.limit)
        .limit(query.limit)
        .lean<FileDoc[]>(),
    ]);
    return { items, total };
  }

  async update(owner: Owner, id: string, changes: { name?: string; folderId?: number | string | null }): Promise<FileDoc> {
    const file = await this.own(owner, id);
    const set: Record<string, unknown> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.folderId !== undefined) set.folderId = await this.ownFolderOrRoot(file.owner, changes.folderId);
    return (await this.files.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean<FileDoc>())!;
  }

  /** Deletes files and their media; returns how many were deleted. */
  async remove(owner: Owner, ids: string[]): Promise<number> {
    const files = await this.files.find({ ...owned(owner), _id: { $in: ids } }).lean<FileDoc[]>();
    for (const file of files) {
      await this.lifecycle.remove(file);
      await this.storage.remove(mediaLayout.fileDir(file._id));
    }
    return files.length;
  }

  /** Deletes folders, everything below them and the files they hold. */
  async removeFolders(owner: Owner, ids: number[]): Promise<number> {
    const all = new Set<number>();
    for (const id of ids) for (const folder of await this.folders.subtree(owner, id)) all.add(folder);
    const inside = await this.files.find({ folderId: { $in: [...all] } }, { _id: 1 }).lean<{ _id: string }[]>();
    await this.remove(null, inside.map((f) => f._id));
    await this.folders.removeAll([...all]);
    return all.size;
  }

  link(file: FileDoc): string {
    return this.urls.absolute.public(`/v/${file._id}`);
  }

  entity(file: FileDoc) {
    const base = this.urls.public(`/${file._id}`);
    const ready = file.status === 'ready';
    return {
      id: file._id,
      uuid: file._id,
      name: file.name,
      folderId: file.folderId,
      tags: file.tags.map((t) => t.name),
      linkId: file.linkId,
      size: file.size,
      status: file.status,
      duration: file.durationSeconds,
      width: file.width,
      height: file.height,
      fps: file.fps,
      audioTracks: file.audio.map(({ id, codec, language, title, channels }) => ({ id, codec, language: language ?? null, title: title ?? null, channels })),
      subtitles: file.subtitles.map(({ id, codec, language, title }) => ({ id, codec, language: language ?? null, title: title ?? null })),
      qualities: file.renditions.map(({ name, width, height }) => ({ name, width, height })),
      encoding: { status: file.encoding.status, progress: file.encoding.progress, error: file.encoding.error ?? null, attempts: file.encoding.attempts },
      views: file.views,
      link: this.link(file),
      thumbnail: ready ? `${base}/image/thumb/poster.jpg` : null,
      stream: ready ? `${base}/stream/multi/master.m3u8` : null,
      downloads: ready
        ? file.renditions.map((r) => ({ quality: r.name, mp4: `${base}/${r.name}/${file.audio[0]?.id ?? MUTED_STREAM}/stream/video.mp4`, mkv: `${base}/${r.name}/download/video.mkv` }))
        : [],
      createdAt: file.createdAt,
      updatedAt: file.updatedAt,
    };
  }

}
