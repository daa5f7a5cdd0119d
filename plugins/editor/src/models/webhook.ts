import { Schema, type Connection, type Model } from '@mediahost/core';

export const WEBHOOK_EVENTS = ['uploadCompleted', 'timelineCreated', 'timelineDeleted', 'templateCreated', 'templateDeleted', 'timelineOpened', 'exportStarting', 'exportEnding'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookDoc {
  _id: number;
  instanceId: number;
  event: WebhookEvent;
  url: string;
  createdAt: Date;
}

const webhookSchema = new Schema<WebhookDoc>(
  {
    _id: { type: Number, required: true },
    instanceId: { type: Number, required: true, index: true },
    event: { type: String, required: true },
    url: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export function webhookModel(db: Connection): Model<WebhookDoc> {
  return db.model<WebhookDoc>('EditorWebhook', webhookSchema, 'editor_webhooks');
}
