import { Schema, type Connection, type Model } from '@mediahost/core';

/** A caller's own VideoCMS settings (keyed by owner: "user:<id>" or "app:<id>"); absent means the defaults. */
export interface AccountSettingsDoc {
  _id: string;
  enablePlayerCaptcha: boolean;
}

const accountSettingsSchema = new Schema<AccountSettingsDoc>({
  _id: { type: String, required: true },
  enablePlayerCaptcha: { type: Boolean, default: false },
});

export function accountSettingsModel(db: Connection): Model<AccountSettingsDoc> {
  return db.model<AccountSettingsDoc>('PublishAccountSettings', accountSettingsSchema, 'publish_account_settings');
}
