import { Schema, type Connection, type Model } from '@mediahost/core';

/** A custom font of an instance, its .ttf kept at fonts/<instanceId>/<id>.ttf. */
export interface FontDoc {
  _id: number;
  instanceId: number;
  name: string;
  size: number;
  /** Removed from the editor's list; timelines that use it still render with it. */
  removed: boolean;
  createdAt: Date;
}

const fontSchema = new Schema<FontDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    name: { type: String, required: true },
    size: { type: Number, required: true },
    removed: { type: Boolean, default: false },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

fontSchema.index({ instanceId: 1, name: 1 }, { unique: true });

export function fontModel(db: Connection): Model<FontDoc> {
  return db.model<FontDoc>('EditorFont', fontSchema, 'editor_fonts');
}
