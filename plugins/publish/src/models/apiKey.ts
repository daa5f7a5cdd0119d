import { Schema, type Connection, type Model } from '@mediahost/core';

/**
 * A VideoCMS API key. Keyed by the sha256 of the key, so the lookup on every request is an _id lookup and the key
 * itself is never stored; `id` is the numeric ID clients manage it by.
 */
export interface ApiKeyDoc {
  _id: string;
  id: number;
  /** The back-office user's id. */
  owner: string;
  name: string;
  /** The key's first 8 characters and "...", to recognise it in a list. */
  prefix: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  /** Requests made with the key so far: the sequence number of its audit rows. */
  uses: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One request made with a key; _id is "<key id>:<use number>", so a key's latest uses are _id lookups. */
export interface ApiKeyUseDoc {
  _id: string;
  apiKeyId: number;
  seq: number;
  owner: string;
  method: string;
  path: string;
  ip: string;
  createdAt: Date;
  updatedAt: Date;
}

const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    id: { type: Number, required: true, unique: true },
    owner: { type: String, required: true, index: true },
    name: { type: String, required: true },
    prefix: { type: String, required: true },
    expiresAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    uses: { type: Number, default: 0 },
  },
  { timestamps: true },
);

const apiKeyUseSchema = new Schema<ApiKeyUseDoc>(
  {
    _id: { type: String, required: true },
    apiKeyId: { type: Number, required: true, index: true },
    seq: { type: Number, required: true },
    owner: { type: String, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    ip: { type: String, default: '' },
  },
  { timestamps: true },
);

export function apiKeyModels(db: Connection): { keys: Model<ApiKeyDoc>; uses: Model<ApiKeyUseDoc> } {
  return {
    keys: db.model<ApiKeyDoc>('PublishApiKey', apiKeySchema, 'publish_api_keys'),
    uses: db.model<ApiKeyUseDoc>('PublishApiKeyUse', apiKeyUseSchema, 'publish_api_key_uses'),
  };
}
