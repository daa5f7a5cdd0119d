import { Schema, type Connection, type Model } from 'mongoose';
import type { NumericIds } from '../ids/numericIds.js';
import { assertWebUrl } from '../net/safeDownload.js';
import type { DeliveryDoc, Webhooks } from './deliveries.js';
import { EVENT_HEADER, signDelivery, SIGNATURE_HEADER, subscriptionSecret, TIMESTAMP_HEADER } from './signing.js';

/** An endpoint an owner (a tenant: user, instance…) registered for some of a plugin's events. */
export interface WebhookSubscription<Data = Record<string, unknown>> {
  id: number;
  owner: string;
  url: string;
  /** The events it is sent; an empty list means all of them. */
  events: string[];
  /** The fields the plugin's API keeps with it (VideoCMS's Name, Rpm…). */
  data: Data;
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriptionInput<Data> {
  url: string;
  events: string[];
  data?: Data;
}

/** An endpoint that is not registered through an API (a URL from the plugin's settings): filtered, not signed. */
export interface WebhookTarget {
  hookId: string;
  url: string;
  events: string[];
  headers?: Record<string, string>;
}

/**
 * A plugin's webhook subscriptions per owner: registered here, delivered through the core's deliveries (persisted,
 * retried, never to internal addresses) and signed (`X-Mediahost-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`,
 * with X-Mediahost-Timestamp and X-Mediahost-Event) with a secret per subscription derived from the plugin's own.
 */
export interface WebhookSubscriptions {
  add<Data = Record<string, unknown>>(owner: string, input: SubscriptionInput<Data>): Promise<WebhookSubscription<Data>>;
  /** undefined when the owner has no such subscription. */
  get<Data = Record<string, unknown>>(owner: string, id: number): Promise<WebhookSubscription<Data> | undefined>;
  /** Whoever owns it: for an API that checks ownership its own way. */
  find<Data = Record<string, unknown>>(id: number): Promise<WebhookSubscription<Data> | undefined>;
  /** The owner's subscriptions, by id. */
  list<Data = Record<string, unknown>>(owner: string): Promise<WebhookSubscription<Data>[]>;
  update<Data = Record<string, unknown>>(owner: string, id: number, input: SubscriptionInput<Data>): Promise<WebhookSubscription<Data> | undefined>;
  /** false when the owner has no such subscription. */
  remove(owner: string, id: number): Promise<boolean>;
  /** The secret its deliveries are signed with, for the owner to check them. */
  secret(id: number): Promise<string>;
  /** The latest deliveries to it, newest first. */
  deliveries(id: number, limit?: number): Promise<DeliveryDoc[]>;
  /** Queues `body` (as JSON) for each of the owner's subscriptions to `event`, with the API's own `headers` besides the signature. */
  notify(owner: string, event: string, body: unknown, headers?: Record<string, string>): Promise<void>;
  /** Queues `body` for `target` when it listens to `event`. */
  notifyTarget(target: WebhookTarget, event: string, body: unknown): Promise<void>;
  /** Takes over a subscription a plugin stored itself before this service, under its id (again: no change). */
  adopt<Data = Record<string, unknown>>(subscription: WebhookSubscription<Data>): Promise<void>;
}

interface SubscriptionDoc {
  _id: string;
  plugin: string;
  id: number;
  owner: string;
  url: string;
  events: string[];
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    plugin: { type: String, required: true },
    id: { type: Number, required: true },
    owner: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], default: [] },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
subscriptionSchema.index({ plugin: 1, owner: 1 });

const listens = (events: string[], event: string) => events.length === 0 || events.includes(event);
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

function view<Data>(doc: SubscriptionDoc): WebhookSubscription<Data> {
  return { id: doc.id, owner: doc.owner, url: doc.url, events: doc.events, data: doc.data as Data, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
}

export class WebhookSubscriptionService {
  private readonly model: Model<SubscriptionDoc>;

  constructor(db: Connection) {
    this.model = db.models.CoreWebhookSubscription ?? db.model<SubscriptionDoc>('CoreWebhookSubscription', subscriptionSchema, 'core_webhook_subscriptions');
  }

  /** `ids` numbers the subscriptions (sequence "webhook"); `pluginSecret` is read when first needed. */
  forPlugin(plugin: string, ids: NumericIds, deliveries: Webhooks, pluginSecret: () => Promise<string>): WebhookSubscriptions {
    const model = this.model;
    const key = (id: number) => `${plugin}:${id}`;
    let pluginKey: Promise<string> | undefined;
    const secret = async (id: number) => {
      pluginKey ??= pluginSecret().catch((error: unknown) => {
        pluginKey = undefined;
        throw error;
      });
      return subscriptionSecret(await pluginKey, plugin, id);
    };
    const one = async <Data>(filter: Partial<SubscriptionDoc>) => {
      const doc = await model.findOne({ plugin, ...filter }).lean<SubscriptionDoc>();
      return doc ? view<Data>(doc) : undefined;
    };
    const deliver = async (hookId: string, url: string, event: string, json: string, headers: Record<string, string>) => {
      await deliveries.send({ hookId, event, url, body: json, headers: { 'Content-Type': 'application/json', ...headers } });
    };
    return {
      add: async (owner, { url, events, data }) => {
        assertWebUrl(url);
        const id = await ids.next('webhook');
        return view((await model.create({ _id: key(id), plugin, id, owner, url, events, data: data ?? {} })).toObject());
      },
      get: (owner, id) => one({ _id: key(id), owner }),
      find: (id) => one({ _id: key(id) }),
      list: async (owner) => (await model.find({ plugin, owner }).sort({ id: 1 }).lean<SubscriptionDoc[]>()).map((doc) => view(doc)),
      update: async (owner, id, { url, events, data }) => {
        assertWebUrl(url);
        const { matchedCount } = await model.updateOne({ _id: key(id), owner }, { $set: { url, events, data: data ?? {} } });
        return matchedCount ? one({ _id: key(id) }) : undefined;
      },
      remove: async (owner, id) => (await model.deleteOne({ _id: key(id), owner })).deletedCount > 0,
      secret,
      deliveries: (id, limit) => deliveries.deliveries(String(id), limit),
      notify: async (owner, event, body, headers = {}) => {
        const subscriptions = await model.find({ plugin, owner }).sort({ id: 1 }).lean<SubscriptionDoc[]>();
        const json = JSON.stringify(body);
        for (const subscription of subscriptions.filter((s) => listens(s.events, event))) {
          const timestamp = Math.floor(Date.now() / 1000);
          await deliver(String(subscription.id), subscription.url, event, json, {
            ...headers,
            [EVENT_HEADER]: event,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signDelivery(await secret(subscription.id), timestamp, json),
          });
        }
      },
      notifyTarget: async ({ hookId, url, events, headers = {} }, event, body) => {
        if (listens(events, event)) await deliver(hookId, url, event, JSON.stringify(body), headers);
      },
      adopt: async ({ id, owner, url, events, data, createdAt, updatedAt }) => {
        const doc = new model({ _id: key(id), plugin, id, owner, url, events, data, createdAt, updatedAt });
        await doc.save({ timestamps: false }).catch((error: unknown) => {
          if (!isDuplicate(error)) throw error;
        });
      },
    };
  }
}
