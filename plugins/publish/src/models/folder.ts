import { Schema, type Connection, type Model } from '@mediahost/core';

export interface FolderDoc {
  _id: string;
  owner: string;
  name: string;
  parentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const folderSchema = new Schema<FolderDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true, index: true },
    name: { type: String, required: true },
    parentId: { type: String, default: null, index: true },
  },
  { timestamps: true },
);

export function folderModel(db: Connection): Model<FolderDoc> {
  return db.model<FolderDoc>('PublishFolder', folderSchema, 'publish_folders');
}
