import { randomUUID } from 'node:crypto';
import { NotFoundError, type WebhookSubscription, type WebhookSubscriptions } from '@mediahost/core';
import type { WebhookEvent } from '../models/webhook.js';

/** A partner's webhook: one event of one instance (the core subscription's owner is the instance id). */
export interface EditorWebhook {
  id: number;
  instanceId: number;
  event: WebhookEvent;
  url: string;
  createdAt: Date;
}

export const webhookView = (hook: EditorWebhook) => ({ event: hook.event, url: hook.url, created: hook.createdAt.getTime(), id: hook.id });

const editorWebhook = ({ id, owner, events, url, createdAt }: WebhookSubscription): EditorWebhook => ({ id, instanceId: Number(owner), event: events[0] as WebhookEvent, url, createdAt });

/** Who did it, for the envelope of the timeline/template/export events. */
export interface Actor {
  userId: number;
  instanceId: number;
  user?: string;
}

/** The partner's webhooks per instance and event, as WeVideo shapes them, over the core's subscriptions. */
export class EditorWebhooks {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  async register(instanceId: number, event: WebhookEvent, url: string): Promise<EditorWebhook> {
    return editorWebhook(await this.subscriptions.add(String(instanceId), { url, events: [event] }));
  }

  async list(instanceId: number): Promise<EditorWebhook[]> {
    return (await this.subscriptions.list(String(instanceId))).map(editorWebhook);
  }

  async get(id: number): Promise<EditorWebhook> {
    const hook = await this.subscriptions.find(id);
    if (!hook) throw new NotFoundError(`Webhook ${id} not found`);
    return editorWebhook(hook);
  }

  async remove(hook: EditorWebhook): Promise<void> {
    await this.subscriptions.remove(String(hook.instanceId), hook.id);
  }

  /** Sends `body` as is (uploadCompleted's flat payload) to every hook of the instance for this event. */
  sendRaw(instanceId: number, event: WebhookEvent, body: object): Promise<void> {
    return this.subscriptions.notify(String(instanceId), event, body, { 'Wev-Event-Type': event });
  }

  /** The reference's envelope: {id, userId, groupId, instanceId, created, type, payload[, user]}. */
  async send(event: WebhookEvent, actor: Actor, payload: object): Promise<void> {
    await this.sendRaw(actor.instanceId, event, {
      id: randomUUID(),
      userId: actor.userId,
      groupId: actor.instanceId,
      instanceId: actor.instanceId,
      created: Date.now(),
      type: event,
      payload,
      ...(actor.user ? { user: actor.user } : {}),
    });
  }
}
