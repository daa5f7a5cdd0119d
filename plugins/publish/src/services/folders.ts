import { BadRequestError, NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { FolderDoc } from '../models/folder.js';

/** null means every owner: a back-office manager's view. */
export type Owner = string | null;
const owned = (owner: Owner) => (owner ? { owner } : {});

/** Folders of an owner's files, nested; deleting one deletes what it holds. */
export class Folders {
  constructor(
    private readonly folders: Model<FolderDoc>,
    private readonly counters: NumericIds,
  ) {}

  list(owner: Owner, parentId: number | null) {
    return this.folders.find({ ...owned(owner), parentId }).sort({ name: 1 }).lean<FolderDoc[]>().exec();
  }

  async get(owner: Owner, id: number): Promise<FolderDoc> {
    const folder = Number.isSafeInteger(id) && id > 0 ? await this.folders.findOne({ ...owned(owner), _id: id }).lean<FolderDoc>() : null;
    if (!folder) throw new NotFoundError(`Folder ${id} not found`);
    return folder;
  }

  async create(owner: string, name: string, parentId: number | null): Promise<FolderDoc> {
    if (parentId) await this.get(owner, parentId);
    const folder = await this.folders.create({ _id: await this.counters.next('folder'), owner, name, parentId });
    return folder.toObject();
  }

  /** A root folder under a number claimed beforehand; there already, it is left as it is (renamed or not). */
  async createWithId(owner: string, id: number, name: string): Promise<void> {
    try {
      await this.folders.create({ _id: id, owner, name, parentId: null });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  async update(owner: Owner, id: number, changes: { name?: string; parentId?: number | null }): Promise<FolderDoc> {
    const folder = await this.get(owner, id);
    if (changes.parentId !== undefined && changes.parentId !== null) {
      const ancestors = await this.ancestry(folder.owner, changes.parentId);
      if (ancestors.includes(id)) throw new BadRequestError('A folder cannot be moved into itself or one of its subfolders');
    }
    const updated = await this.folders.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' }).lean<FolderDoc>();
    return updated!;
  }

  /** The folder and every folder below it, for a deletion. */
  async subtree(owner: Owner, id: number): Promise<number[]> {
    await this.get(owner, id);
    const ids = [id];
    for (let i = 0; i < ids.length; i += 1) {
      const children = await this.folders.find({ parentId: ids[i] }, { _id: 1 }).lean<{ _id: number }[]>();
      ids.push(...children.map((child) => child._id));
    }
    return ids;
  }

  async removeAll(ids: number[]): Promise<void> {
    await this.folders.deleteMany({ _id: { $in: ids } });
  }

  /** The folder and its parents up to the root, checking each belongs to the owner. */
  private async ancestry(owner: string, id: number): Promise<number[]> {
    const chain: number[] = [];
    for (let current: number | null = id; current && chain.length < 100; ) {
      const folder: FolderDoc = await this.get(owner, current);
      chain.push(folder._id);
      current = folder.parentId;
    }
    return chain;
  }
}
