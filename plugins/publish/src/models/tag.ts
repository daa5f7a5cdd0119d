import { Schema, type Connection, type Model } from '@mediahost/core';

/** An owner's tag; its numeric id is VideoCMS's TagId. Tags are reused by name. */
export interface TagDoc {
  _id: number;
  owner: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const tagSchema = new Schema<TagDoc>(
  {
    _id: { type: Number, required: true },
    owner: { type: String, required: true, index: true },
    name: { type: String, required: true },
  },
  { timestamps: true },
);
tagSchema.index({ owner: 1, name: 1 }, { unique: true });

export function tagModel(db: Connection): Model<TagDoc> {
  return db.model<TagDoc>('PublishTag', tagSchema, 'publish_tags');
}
