import { Schema, type Connection, type Model } from '@mediahost/core';

export const WEBHOOK_EVENTS = ['file.created', 'encoding.finished', 'encoding.failed', 'file.deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * An owner's webhook. Name, Url, Rpm, ReqQuery and ResField are VideoCMS's (the player pings Url while a video plays);
 * the server also posts the owner's file events to Url, signed, for the events listed.
 */
export interface WebhookDoc {
  _id: number;
  owner: string;
  name: string;
  url: string;
  rpm: number;
  reqQuery: string;
  resField: string;
  events: WebhookEvent[];
  createdAt: Date;
  updatedAt: Date;
}

const webhookSchema = new Schema<WebhookDoc>(
  {
    _id: { type: Number, required: true },
    owner: { type: String, required: true, index: true },
    name: { type: String, required: true },
    url: { type: String, required: true },
    rpm: { type: Number, default: 1 },
    reqQuery: { type: String, default: '' },
    resField: { type: String, default: '' },
    events: { type: [String], default: [...WEBHOOK_EVENTS] },
  },
  { timestamps: true },
);

export function webhookModel(db: Connection): Model<WebhookDoc> {
  return db.model<WebhookDoc>('PublishWebhook', webhookSchema, 'publish_webhooks');
}
