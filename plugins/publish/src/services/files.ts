import { BadRequestError, NotFoundError, type Model } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { FolderDoc } from '../models/folder.js';
import { MUTED_STREAM } from './mediaLayout.js';

/** Files and their folders, always seen through their owner: another owner's file is as unknown as a missing one. */
export class FileService {
  constructor(
    readonly files: Model<FileDoc>,
    readonly folders: Model<FolderDoc>,
    private readonly backOfficeUrl: string,
  ) {}

  /** null (the root), or the id of a folder of the owner's. */
  async ownFolderOrRoot(owner: string, folderId: string | null | undefined): Promise<string | null> {
    if (!folderId || folderId === '0') return null;
    const folder = await this.folders.findOne({ _id: folderId, owner }).lean();
    if (!folder) throw new BadRequestError(`Folder ${folderId} does not exist`);
    return folder._id;
  }

  async own(owner: string, id: string): Promise<FileDoc> {
    const file = await this.files.findOne({ _id: id, owner }).lean<FileDoc>();
    if (!file) throw new NotFoundError(`File ${id} not found`);
    return file;
  }

  link(file: FileDoc): string {
    return `${this.backOfficeUrl}/publish/v/${file._id}`;
  }

  entity(file: FileDoc) {
    const base = `/publish/${file._id}`;
    return {
      id: file._id,
      uuid: file._id,
      name: file.name,
      folderId: file.folderId,
      tags: file.tags,
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
      thumbnail: file.status === 'ready' ? `${base}/image/thumb/poster.jpg` : null,
      stream: file.status === 'ready' ? `${base}/stream/multi/master.m3u8` : null,
      downloads:
        file.status === 'ready'
          ? file.renditions.map((r) => ({ quality: r.name, mp4: `${base}/${r.name}/${file.audio[0]?.id ?? MUTED_STREAM}/stream/video.mp4`, mkv: `${base}/${r.name}/download/video.mkv` }))
          : [],
      createdAt: file.createdAt,
      updatedAt: file.updatedAt,
    };
  }

  created(file: FileDoc, clientUploadUuid: string | null) {
    return { file: this.entity(file), link: this.link(file), client_upload_uuid: clientUploadUuid };
  }
}
