import type { Connection, WebhookSubscription, WebhookSubscriptions } from '@mediahost/core';

export const WEBHOOK_EVENTS = ['file.created', 'encoding.finished', 'encoding.failed', 'file.deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * VideoCMS's fields of an owner's webhook (the player pings its Url while a video plays), kept with the core's
 * subscription, which also posts the owner's file events to the Url, signed, for the events listed.
 */
export interface VideocmsHookData {
  name: string;
  rpm: number;
  reqQuery: string;
  resField: string;
}

export type VideocmsHook = WebhookSubscription<VideocmsHookData>;

interface LegacyWebhookDoc extends VideocmsHookData {
  _id: number;
  owner: string;
  url: string;
  events: WebhookEvent[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Webhooks publish kept in publish_webhooks before the core's subscriptions: each is handed over under its id (so its
 * signing secret stays the same) and then dropped. Every process does it at start; a copy already made is left as is.
 */
export async function adoptLegacyWebhooks(db: Connection, subscriptions: WebhookSubscriptions): Promise<void> {
  const legacy = db.collection<LegacyWebhookDoc>('publish_webhooks');
  for (const hook of await legacy.find().toArray()) {
    const { _id, owner, url, events, name, rpm, reqQuery, resField, createdAt, updatedAt } = hook;
    await subscriptions.adopt<VideocmsHookData>({ id: _id, owner, url, events, data: { name, rpm: rpm ?? 1, reqQuery: reqQuery ?? '', resField: resField ?? '' }, createdAt, updatedAt });
    await legacy.deleteOne({ _id });
  }
}
