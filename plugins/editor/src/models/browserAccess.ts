import { Schema, type Connection, type Model } from '@mediahost/core';

/** A one-time SSO login token or a browser session, both keyed by the hash of their secret value. */
export interface BrowserGrantDoc {
  _id: string;
  kind: 'loginToken' | 'session';
  userId: number;
  instanceId: number;
  expiresAt: Date;
}

const grantSchema = new Schema<BrowserGrantDoc>({
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  userId: { type: Number, required: true },
  instanceId: { type: Number, required: true },
  expiresAt: { type: Date, required: true, index: true },
});

export function browserGrantModel(db: Connection): Model<BrowserGrantDoc> {
  return db.model<BrowserGrantDoc>('EditorBrowserGrant', grantSchema, 'editor_browser_grants');
}
