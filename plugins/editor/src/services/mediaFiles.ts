import { NotFoundError, type Model } from '@mediahost/core';
import type { MediaFileDoc } from '../models/mediaFile.js';

export const mediaFileView = (file: MediaFileDoc) => ({
  id: file._id,
  title: file.title,
  description: file.description,
  type: file.type,
  mimetype: file.mimetype,
  size: file.size,
  duration: file.durationMs,
  width: file.width,
  height: file.height,
  folderId: file.folderId,
  userId: file.userId,
  instanceId: file.instanceId,
  created: file.createdAt?.getTime(),
});

export class MediaFiles {
  constructor(readonly files: Model<MediaFileDoc>) {}

  async get(id: number): Promise<MediaFileDoc> {
    const file = Number.isSafeInteger(id) ? await this.files.findById(id).lean<MediaFileDoc>() : null;
    if (!file) throw new NotFoundError(`File ${id} not found`);
    return file;
  }

  async ofUser(userId: number, skip: number, limit: number, origin?: MediaFileDoc['origin']): Promise<{ files: MediaFileDoc[]; total: number }> {
    const filter = { userId, ...(origin ? { origin } : {}) };
    const [files, total] = await Promise.all([this.files.find(filter).sort({ _id: 1 }).skip(skip).limit(limit).lean<MediaFileDoc[]>().exec(), this.files.countDocuments(filter)]);
    return { files, total };
  }
}
