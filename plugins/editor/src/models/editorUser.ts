import { Schema, type Connection, type Model } from '@mediahost/core';

export interface EditorUserDoc {
  _id: number;
  instanceId: number;
  email: string;
  firstName: string;
  lastName: string;
  roleId: number;
  rootFolderId: number;
  createdAt: Date;
}

const userSchema = new Schema<EditorUserDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    firstName: { type: String, default: '' },
    lastName: { type: String, default: '' },
    roleId: { type: Number, required: true, index: true },
    rootFolderId: { type: Number, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export function editorUserModel(db: Connection): Model<EditorUserDoc> {
  return db.model<EditorUserDoc>('EditorUser', userSchema, 'editor_users');
}
