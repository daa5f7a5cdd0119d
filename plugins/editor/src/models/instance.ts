import { Schema, type Connection, type Model } from '@mediahost/core';

/** A WeVideo instance: a multi-user account of one partner application. */
export interface InstanceDoc {
  _id: number;
  applicationId: string;
  name: string;
  ownerId: number;
  licenses: number;
  sharedRootFolder: number;
  /** Instance settings set by POST /api/3/instance/:id/setting. */
  settings: Record<string, unknown>;
  /** Global settings set by /api/4/instance/:id/settings. */
  globalSettings: Record<string, unknown>;
  fontSettings: { disableDefaultFonts?: boolean; standardFont?: string; textColors?: string[]; allColors?: boolean };
  createdAt: Date;
}

const instanceSchema = new Schema<InstanceDoc>(
  {
    _id: { type: Number, required: true },
    applicationId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    ownerId: { type: Number, required: true },
    licenses: { type: Number, required: true },
    sharedRootFolder: { type: Number, required: true },
    settings: { type: Schema.Types.Mixed, default: {} },
    globalSettings: { type: Schema.Types.Mixed, default: {} },
    fontSettings: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);

/** The instance an application's calls go to when they name none, keyed by application. */
export interface AccountDoc {
  _id: string;
  defaultInstanceId: number;
}

const accountSchema = new Schema<AccountDoc>({ _id: { type: String, required: true }, defaultInstanceId: { type: Number, required: true } });

export function instanceModel(db: Connection): Model<InstanceDoc> {
  return db.model<InstanceDoc>('EditorInstance', instanceSchema, 'editor_instances');
}

export function accountModel(db: Connection): Model<AccountDoc> {
  return db.model<AccountDoc>('EditorAccount', accountSchema, 'editor_accounts');
}
