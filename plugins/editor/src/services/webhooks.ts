import { randomUUID } from 'node:crypto';
import { assertWebUrl, NotFoundError, type Model, type Webhooks, type NumericIds } from '@mediahost/core';
import type { WebhookDoc, WebhookEvent } from '../models/webhook.js';

export const webhookView = (hook: WebhookDoc) => ({ event: hook.event, url: hook.url, created: hook.createdAt.getTime(), id: hook._id });

/** Who did it, for the envelope of the timeline/template/export events. */
export interface Actor {
  userId: number;
  instanceId: number;
  user?: string;
}

/** The partner's webhooks per instance and event, delivered through the core (persisted, retried until a 2xx). */
export class EditorWebhooks {
  constructor(
    private readonly hooks: Model<WebhookDoc>,
    private readonly ids: NumericIds,
    private readonly delivery: Webhooks,
  ) {}

  async register(instanceId: number, event: WebhookEvent, url: string): Promise<WebhookDoc> {
    assertWebUrl(url);
    const _id = await this.ids.next('webhook');
    return (await this.hooks.create({ _id, instanceId, event, url })).toObject();
  }

  list(instanceId: number): Promise<WebhookDoc[]> {
    return this.hooks.find({ instanceId }).sort({ _id: 1 }).lean<WebhookDoc[]>().exec();
  }

  async get(id: number): Promise<WebhookDoc> {
    const hook = await this.hooks.findById(id).lean<WebhookDoc>();
    if (!hook) throw new NotFoundError(`Webhook ${id} not found`);
    return hook;
  }

  async remove(id: number): Promise<void> {
    await this.hooks.deleteOne({ _id: id });
  }

  /** Sends `body` as is (uploadCompleted's flat payload) to every hook of the instance for this event. */
  async sendRaw(instanceId: number, event: WebhookEvent, body: object): Promise<void> {
    const hooks = await this.hooks.find({ instanceId, event }).lean<WebhookDoc[]>();
    const json = JSON.stringify(body);
    for (const hook of hooks) {
      await this.delivery.send({ hookId: String(hook._id), event, url: hook.url, headers: { 'Wev-Event-Type': event }, body: json });
    }
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
