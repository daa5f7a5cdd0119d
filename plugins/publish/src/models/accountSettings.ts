import { Schema, type Connection, type Model } from '@mediahost/core';

/**
 * An owner's own VideoCMS settings and the limits an admin set for them (keyed by owner: "user:<id>" or "app:<id>");
 * an absent document or field means the platform's defaults (services/accountLimits.ts).
 */
export interface AccountSettingsDoc {
  _id: string;
  enablePlayerCaptcha: boolean;
  /** VideoCMS's Storage: the owner's storage quota in bytes; 0 for the platform's (quota.maxStoredBytes). */
  storageBytes?: number;
  /** VideoCMS's Balance: kept and shown, nothing is charged against it. */
  balance?: number;
  uploadEnabled?: boolean;
  remoteDownloadEnabled?: boolean;
  /** Pending and running remote downloads at once; 0 for the platform's (remoteDownloads.maxActivePerUser). */
  maxRemoteDownloads?: number;
}

const accountSettingsSchema = new Schema<AccountSettingsDoc>({
  _id: { type: String, required: true },
  enablePlayerCaptcha: { type: Boolean, default: false },
  storageBytes: { type: Number, min: 0 },
  balance: { type: Number },
  uploadEnabled: { type: Boolean },
  remoteDownloadEnabled: { type: Boolean },
  maxRemoteDownloads: { type: Number, min: 0 },
});

export function accountSettingsModel(db: Connection): Model<AccountSettingsDoc> {
  return db.model<AccountSettingsDoc>('PublishAccountSettings', accountSettingsSchema, 'publish_account_settings');
}
