import { Schema, type Connection, type Model } from '@mediahost/core';

export interface FolderDoc {
  _id: number;
  instanceId: number;
  parentId: number | null;
  title: string;
  kind: 'userRoot' | 'sharedRoot' | 'folder';
  createdAt: Date;
}

const folderSchema = new Schema<FolderDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true },
    parentId: { type: Number, default: null, index: true },
    title: { type: String, required: true },
    kind: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export function folderModel(db: Connection): Model<FolderDoc> {
  return db.model<FolderDoc>('EditorFolder', folderSchema, 'editor_folders');
}
