import { Schema, type Connection, type Model } from '@mediahost/core';

/** The one document of the platform-wide settings an admin changes through VideoCMS's /api/settings. */
export const SYSTEM_SETTINGS_ID = 'videocms';

/** Absent fields mean the plugin's configuration (conf/publishConf.json). */
export interface SystemSettingsDoc {
  _id: string;
  appName?: string;
  exampleVideo?: string;
  uploadEnabled?: boolean;
  remoteDownloadEnabled?: boolean;
  /** One upload's largest size; never above the configuration's maxUploadBytes, which tus is built with. */
  maxUploadBytes?: number;
  captchaEnabled?: boolean;
  captchaLoginEnabled?: boolean;
  captchaPlayerEnabled?: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

const systemSettingsSchema = new Schema<SystemSettingsDoc>(
  {
    _id: { type: String, required: true },
    appName: String,
    exampleVideo: String,
    uploadEnabled: Boolean,
    remoteDownloadEnabled: Boolean,
    maxUploadBytes: { type: Number, min: 1 },
    captchaEnabled: Boolean,
    captchaLoginEnabled: Boolean,
    captchaPlayerEnabled: Boolean,
  },
  { timestamps: true },
);

export function systemSettingsModel(db: Connection): Model<SystemSettingsDoc> {
  return db.model<SystemSettingsDoc>('PublishSystemSettings', systemSettingsSchema, 'publish_settings');
}
