import type { PluginUrls } from '@mediahost/core';
import type { Quality } from '../../config.js';
import type { FileDoc } from '../../models/file.js';
import type { FolderDoc } from '../../models/folder.js';
import type { TagDoc } from '../../models/tag.js';
import { ladderFor } from '../../services/ladder.js';

/** The JSON of VideoCMS objects, PascalCase as its Go models serialise. */

export function folderJson(folder: FolderDoc) {
  return { ID: folder._id, CreatedAt: folder.createdAt, UpdatedAt: folder.updatedAt, DeletedAt: null, Name: folder.name, ParentFolderID: folder.parentId ?? 0 };
}

export function tagJson(tag: { id: number; name: string } | TagDoc) {
  return 'owner' in tag
    ? { ID: tag._id, CreatedAt: tag.createdAt, UpdatedAt: tag.updatedAt, DeletedAt: null, Name: tag.name }
    : { ID: tag.id, DeletedAt: null, Name: tag.name };
}

/** A Link: the user-visible file, as lists and search return it. */
export function linkJson(file: FileDoc) {
  return {
    ID: file.linkId,
    CreatedAt: file.createdAt,
    UpdatedAt: file.updatedAt,
    DeletedAt: null,
    UUID: file._id,
    Name: file.name,
    ParentFolderID: file.folderId ?? 0,
    Tags: file.tags.map(tagJson),
  };
}

/** A Link just made by an upload, finalize or clone: VideoCMS answers it with `Tags: null`. */
export function createdLinkJson(file: FileDoc) {
  return { ...linkJson(file), Tags: null };
}

/** GET /api/file: the link with its media details; qualities not made yet are listed with the job's progress. */
export function linkDetailJson(file: FileDoc, qualities: Quality[], urls: PluginUrls) {
  const ready = file.status === 'ready';
  const rungs = file.renditions.length ? file.renditions : ladderFor(file, qualities);
  const language = (t: { language?: string }) => t.language ?? '';
  return {
    CreatedAt: file.createdAt,
    UpdatedAt: file.updatedAt,
    ID: file.linkId,
    UUID: file._id,
    Name: file.name,
    Thumbnail: urls.public(`/${file._id}/image/thumb/poster.jpg`),
    CustomThumbnail: false,
    ParentFolderID: file.folderId ?? 0,
    Size: file.size,
    Duration: file.durationSeconds,
    /** Not in VideoCMS's answer: what POST /file/clone takes. */
    Sha256: file.sha256,
    Qualitys: rungs.map((r) => ({
      Name: r.name,
      Type: 'hls',
      Height: r.height,
      Width: r.width,
      AvgFrameRate: file.fps,
      Ready: ready,
      Failed: file.status === 'failed',
      Progress: ready ? 100 : file.encoding.progress,
    })),
    Subtitles: file.subtitles.map((t, i) => ({ Name: t.title ?? (language(t) || `Subtitles ${i + 1}`), Type: 'vtt', Lang: language(t), Ready: ready })),
    Audios: file.audio.map((t, i) => ({ Name: t.title ?? `Audio ${i + 1}`, Type: 'hls', Lang: language(t), Ready: ready })),
    Tags: file.tags.map(tagJson),
  };
}
