import { Schema, type Connection, type Model } from '@mediahost/core';

/** The bytes everyone stored on one UTC day, as last sampled that day: `_id` is `storage:<YYYY-MM-DD>`. */
export interface StorageDayDoc {
  _id: string;
  day: Date;
  bytes: number;
}

const storageDaySchema = new Schema<StorageDayDoc>({
  _id: { type: String, required: true },
  day: { type: Date, required: true },
  bytes: { type: Number, required: true },
});

export const storageDayId = (day: Date) => `storage:${day.toISOString().slice(0, 10)}`;

export function storageDayModel(db: Connection): Model<StorageDayDoc> {
  return db.model<StorageDayDoc>('PublishStorageDay', storageDaySchema, 'publish_storage_days');
}
