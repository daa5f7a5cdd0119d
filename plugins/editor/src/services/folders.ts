import { NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { FolderDoc } from '../models/folder.js';

export const folderView = (folder: FolderDoc) => ({ title: folder.title, id: folder._id });

/** The media folder tree of an instance: a root per user, a shared root, and folders below them. */
export class Folders {
  constructor(
    private readonly folders: Model<FolderDoc>,
    private readonly ids: NumericIds,
  ) {}

  async createRoot(instanceId: number, kind: 'userRoot' | 'sharedRoot', title: string): Promise<number> {
    const _id = await this.ids.next('folder');
    await this.folders.create({ _id, instanceId, parentId: null, title, kind });
    return _id;
  }

  async removeOf(instanceId: number): Promise<void> {
    await this.folders.deleteMany({ instanceId });
  }

  async get(id: number): Promise<FolderDoc> {
    const folder = await this.folders.findById(id).lean<FolderDoc>();
    if (!folder) throw new NotFoundError(`Folder ${id} not found`);
    return folder;
  }

  async create(parent: FolderDoc, title: string): Promise<FolderDoc> {
    const _id = await this.ids.next('folder');
    return (await this.folders.create({ _id, instanceId: parent.instanceId, parentId: parent._id, title, kind: 'folder' })).toObject();
  }

  async children(parentId: number, skip: number, limit: number): Promise<{ folders: FolderDoc[]; total: number }> {
    const [folders, total] = await Promise.all([
      this.folders.find({ parentId }).sort({ title: -1, _id: 1 }).skip(skip).limit(limit).lean<FolderDoc[]>().exec(),
      this.folders.countDocuments({ parentId }),
    ]);
    return { folders, total };
  }
}
