import { Schema, type Connection, type Model } from '@mediahost/core';

/** A folder; its numeric id is VideoCMS's FolderID, and parentId null is the root (ParentFolderID 0). */
export interface FolderDoc {
  _id: number;
  owner: string;
  name: string;
  parentId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const folderSchema = new Schema<FolderDoc>(
  {
    _id: { type: Number, required: true },
    owner: { type: String, required: true, index: true },
    name: { type: String, required: true },
    parentId: { type: Number, default: null, index: true },
  },
  { timestamps: true },
);

export function folderModel(db: Connection): Model<FolderDoc> {
  return db.model<FolderDoc>('PublishFolder', folderSchema, 'publish_folders');
}
