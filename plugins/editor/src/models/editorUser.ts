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
    email: { type: String, required: true, lowercase: true, trim: true },
    firstName: { type: String, default: '' },
    lastName: { type: String, default: '' },
    roleId: { type: Number, required: true, index: true },
    rootFolderId: { type: Number, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

// Unique per instance, not across them: a global index would tell a partner that another partner has the address.
userSchema.index({ instanceId: 1, email: 1 }, { unique: true });

/** The index of the first releases, unique across instances; its absence is fine (a new database, or already gone). */
const GLOBAL_EMAIL_INDEX = 'email_1';

export async function editorUserModel(db: Connection): Promise<Model<EditorUserDoc>> {
  const model = db.model<EditorUserDoc>('EditorUser', userSchema, 'editor_users');
  await model.collection.dropIndex(GLOBAL_EMAIL_INDEX).catch(() => undefined);
  return model;
}
