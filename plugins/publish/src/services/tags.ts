import { NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { TagDoc } from '../models/tag.js';

/** Tags on an owner's files, reused by name. */
export class Tags {
  constructor(
    private readonly tags: Model<TagDoc>,
    private readonly files: Model<FileDoc>,
    private readonly counters: NumericIds,
  ) {}

  async add(file: FileDoc, name: string): Promise<TagDoc> {
    let tag = await this.tags.findOne({ owner: file.owner, name }).lean<TagDoc>();
    if (!tag) {
      try {
        tag = (await this.tags.create({ _id: await this.counters.next('tag'), owner: file.owner, name })).toObject();
      } catch {
        tag = await this.tags.findOne({ owner: file.owner, name }).lean<TagDoc>();
      }
    }
    if (!file.tags.some((t) => t.id === tag!._id)) await this.files.updateOne({ _id: file._id }, { $push: { tags: { id: tag!._id, name: tag!.name } } });
    return tag!;
  }

  /** Unlinks the tag from the file; the tag itself stays for reuse. */
  async remove(file: FileDoc, tagId: number): Promise<void> {
    if (!file.tags.some((t) => t.id === tagId)) throw new NotFoundError(`Tag ${tagId} is not on this file`);
    // FerretDB v1's $pull matches whole elements only, not a query on their fields.
    await this.files.updateOne({ _id: file._id }, { $set: { tags: file.tags.filter((t) => t.id !== tagId) } });
  }
}
