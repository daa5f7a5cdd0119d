import { NotFoundError, paginationOf, type Model, type Pagination, type PluginUrls } from '@mediahost/core';
import type { FileDoc, FileStatus } from '../models/file.js';
import type { FileListCache } from './fileListCache.js';
import type { VideoJson } from '../openveo/videoSchemas.js';

/** OpenVeo's video states: processing ends at READY (11); 0 is ERROR and 1 PENDING. */
export const OPENVEO_STATE: Record<FileStatus, number> = { failed: 0, processing: 1, ready: 11 };
const STATUS_OF_STATE = new Map<number, FileStatus>(Object.entries(OPENVEO_STATE).map(([status, state]) => [state, status as FileStatus]));

export interface VideoListQuery {
  query?: string;
  states?: number[];
  sortBy: 'title' | 'description' | 'date' | 'state' | 'views' | 'category';
  sortOrder: 'asc' | 'desc';
  page: number;
  limit: number;
}

const SORT_FIELD: Record<VideoListQuery['sortBy'], string> = {
  title: 'name',
  description: 'name',
  date: 'createdAt',
  state: 'status',
  views: 'views',
  category: 'folderId',
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function toVideo(file: FileDoc, urls: PluginUrls): VideoJson {
  return {
    id: file._id,
    title: file.name,
    description: '',
    state: OPENVEO_STATE[file.status],
    date: file.createdAt.getTime(),
    views: file.views,
    category: file.folderId,
    duration: file.durationSeconds,
    thumbnail: file.status === 'ready' ? urls.public(`/${file._id}/image/thumb/poster.jpg`) : null,
    link: urls.public(`/v/${file._id}`),
    ...(file.origin ? { origin: file.origin } : {}),
  };
}

/** The caller's files as OpenVeo's web service answers GET videos. */
export class VideoCatalog {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly listings: FileListCache,
    private readonly urls: PluginUrls,
  ) {}

  list(owner: string, query: VideoListQuery): Promise<{ entities: ReturnType<typeof toVideo>[]; pagination: Pagination }> {
    return this.listings.get(owner, JSON.stringify(query), () => this.read(owner, query));
  }

  private async read(owner: string, query: VideoListQuery): Promise<{ entities: ReturnType<typeof toVideo>[]; pagination: Pagination }> {
    const filter: Record<string, unknown> = { owner };
    if (query.query) filter.name = new RegExp(escapeRegex(query.query), 'i');
    if (query.states?.length) filter.status = { $in: query.states.map((state) => STATUS_OF_STATE.get(state)).filter(Boolean) };
    const [size, files] = await Promise.all([
      this.files.countDocuments(filter),
      this.files
        .find(filter)
        .sort({ [SORT_FIELD[query.sortBy]]: query.sortOrder === 'asc' ? 1 : -1, _id: 1 })
        .skip(query.page * query.limit)
        .limit(query.limit)
        .lean<FileDoc[]>(),
    ]);
    return { entities: files.map((file) => toVideo(file, this.urls)), pagination: paginationOf(query, size) };
  }

  async get(owner: string, id: string) {
    const file = await this.files.findOne({ _id: id, owner }).lean<FileDoc>();
    if (!file) throw new NotFoundError(`Video ${id} not found`);
    return toVideo(file, this.urls);
  }
}
