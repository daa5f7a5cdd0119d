import { NotFoundError, paginationOf, type Pagination } from '@mediahost/core';
import type { Model } from '@mediahost/core';
import type { VideoDoc } from '../models/video.js';

export interface VideoListQuery {
  query?: string;
  states?: number[];
  sortBy: 'title' | 'description' | 'date' | 'state' | 'views' | 'category';
  sortOrder: 'asc' | 'desc';
  page: number;
  limit: number;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function toEntity(video: VideoDoc) {
  return {
    id: video._id,
    title: video.title,
    description: video.description,
    state: video.state,
    date: video.date.getTime(),
    views: video.views,
    category: video.category ?? null,
    user: video.user ?? null,
    groups: video.groups,
  };
}

/** Reading videos the way OpenVeo's web service answers GET /publish/videos. */
export class VideoCatalog {
  constructor(private readonly videos: Model<VideoDoc>) {}

  async list(query: VideoListQuery): Promise<{ entities: ReturnType<typeof toEntity>[]; pagination: Pagination }> {
    const filter: Record<string, unknown> = {};
    if (query.query) {
      const pattern = new RegExp(escapeRegex(query.query), 'i');
      filter.$or = [{ title: pattern }, { description: pattern }];
    }
    if (query.states?.length) filter.state = { $in: query.states };
    const [size, videos] = await Promise.all([
      this.videos.countDocuments(filter),
      this.videos
        .find(filter)
        .sort({ [query.sortBy]: query.sortOrder === 'asc' ? 1 : -1, _id: 1 })
        .skip(query.page * query.limit)
        .limit(query.limit)
        .lean<VideoDoc[]>(),
    ]);
    return { entities: videos.map(toEntity), pagination: paginationOf(query, size) };
  }

  async get(id: string) {
    const video = await this.videos.findById(id).lean<VideoDoc>();
    if (!video) throw new NotFoundError(`Video ${id} not found`);
    return toEntity(video);
  }
}
