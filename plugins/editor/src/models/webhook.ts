import type { Connection, WebhookSubscriptions } from '@mediahost/core';

export const WEBHOOK_EVENTS = ['uploadCompleted', 'timelineCreated', 'timelineDeleted', 'templateCreated', 'templateDeleted', 'timelineOpened', 'exportStarting', 'exportEnding'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

interface LegacyWebhookDoc {
  _id: number;
  instanceId: number;
  event: WebhookEvent;
  url: string;
  createdAt: Date;
}

/**
 * Webhooks the editor kept in editor_webhooks before the core's subscriptions (owner: the instance id): each is
 * handed over under its id and then dropped. Every process does it at start; a copy already made is left as is.
 */
export async function adoptLegacyWebhooks(db: Connection, subscriptions: WebhookSubscriptions): Promise<void> {
  const legacy = db.collection<LegacyWebhookDoc>('editor_webhooks');
  for (const { _id, instanceId, event, url, createdAt } of await legacy.find().toArray()) {
    await subscriptions.adopt({ id: _id, owner: String(instanceId), url, events: [event], data: {}, createdAt, updatedAt: createdAt });
    await legacy.deleteOne({ _id });
  }
}
