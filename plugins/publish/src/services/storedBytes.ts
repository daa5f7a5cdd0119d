import type { Model } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';

/** The bytes of an owner's files, as their sources were received: what the storage quota counts. */
export function storedBytesOf(files: Model<FileDoc>): (owner: string) => Promise<number> {
  return async (owner) => {
    const [sum] = await files.aggregate<{ total: number }>([{ $match: { owner } }, { $group: { _id: null, total: { $sum: '$size' } } }]);
    return sum?.total ?? 0;
  };
}
