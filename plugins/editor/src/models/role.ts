import { Schema, type Connection, type Model } from '@mediahost/core';

export type RoleKind = 'admin' | 'lead' | 'user';

/** One of an instance's three roles; `properties` are WeVideo's upper-case permission keys (NAME, DOWNLOAD_EXPORT…). */
export interface RoleDoc {
  _id: number;
  instanceId: number;
  kind: RoleKind;
  properties: Record<string, string | number | boolean>;
}

const roleSchema = new Schema<RoleDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    kind: { type: String, required: true },
    properties: { type: Schema.Types.Mixed, default: {} },
  },
  { minimize: false },
);

export function roleModel(db: Connection): Model<RoleDoc> {
  return db.model<RoleDoc>('EditorRole', roleSchema, 'editor_roles');
}
