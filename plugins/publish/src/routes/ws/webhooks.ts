import type { Context } from 'koa';
import { NotFoundError, Router, z, type DeliveryDoc, type Model, type PluginAuth, type Webhooks } from '@mediahost/core';
import type { Counters } from '../../models/counter.js';
import { WEBHOOK_EVENTS, type WebhookDoc } from '../../models/webhook.js';
import { webhookSecret } from '../../services/webhookSigning.js';
import { fields, id } from './videocmsInput.js';

function webhookJson(hook: WebhookDoc) {
  return {
    ID: hook._id,
    CreatedAt: hook.createdAt,
    UpdatedAt: hook.updatedAt,
    DeletedAt: null,
    Name: hook.name,
    Url: hook.url,
    Rpm: hook.rpm,
    ReqQuery: hook.reqQuery,
    ResField: hook.resField,
    Events: hook.events,
  };
}

function deliveryJson(delivery: DeliveryDoc) {
  return {
    ID: delivery._id,
    Event: delivery.event,
    Url: delivery.url,
    Status: delivery.status,
    CreatedAt: delivery.createdAt,
    DeliveredAt: delivery.deliveredAt ?? null,
    Attempts: delivery.attempts.map((a) => ({ At: a.at, StatusCode: a.status ?? null, Error: a.error ?? null, DurationMs: a.durationMs })),
  };
}

const letters = z.string().regex(/^[A-Za-z]*$/, 'letters only').max(50);
/** VideoCMS's webhook fields (its player's ReqQuery and ResField are optional here, as server events do not use them), plus Events. */
const webhookFields = z.object({
  name: z.string().trim().min(1).max(120),
  url: z
    .string()
    .min(4)
    .max(255)
    .refine((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), 'must be an http or https URL'),
  rpm: z.coerce.number().int().min(1).max(60).default(1),
  reqquery: letters.default(''),
  resfield: letters.default(''),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).default([...WEBHOOK_EVENTS]).transform((list) => [...new Set(list)]),
});

interface WebhookRouteDeps {
  webhooks: Model<WebhookDoc>;
  counters: Counters;
  deliveries: Webhooks;
  pluginSecret: string;
  auth: PluginAuth;
}

/** The owner's webhooks below api/: VideoCMS's CRUD (answering `ok`), plus each hook's signing secret and delivery log. */
export function webhookRoutes({ webhooks, counters, deliveries, pluginSecret, auth }: WebhookRouteDeps): Router {
  const router = new Router({ prefix: '/api' });
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const own = async (ctx: Context, webhookId: number) => {
    const hook = await webhooks.findOne({ _id: webhookId, owner: owner(ctx) }).lean<WebhookDoc>();
    if (!hook) throw new NotFoundError(`Webhook ${webhookId} not found`);
    return hook;
  };
  const ok = (ctx: Context) => {
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  };
  const toDoc = (input: z.infer<typeof webhookFields>) => ({ name: input.name, url: input.url, rpm: input.rpm, reqQuery: input.reqquery, resField: input.resfield, events: input.events });

  router.get('/webhooks', async (ctx) => {
    ctx.body = (await webhooks.find({ owner: owner(ctx) }).sort({ name: 1 }).lean<WebhookDoc[]>()).map(webhookJson);
  });
  router.post('/webhook', async (ctx) => {
    const input = fields(ctx, webhookFields);
    await webhooks.create({ _id: await counters.next('webhook'), owner: owner(ctx), ...toDoc(input) });
    ok(ctx);
  });
  router.put('/webhook', async (ctx) => {
    const input = fields(ctx, webhookFields.extend({ webhookid: id }));
    await own(ctx, input.webhookid);
    await webhooks.updateOne({ _id: input.webhookid }, { $set: toDoc(input) });
    ok(ctx);
  });
  router.delete('/webhook', async (ctx) => {
    const { webhookid } = fields(ctx, z.object({ webhookid: id }));
    await own(ctx, webhookid);
    await webhooks.deleteOne({ _id: webhookid });
    ok(ctx);
  });
  router.get('/webhook/secret', async (ctx) => {
    const { webhookid } = fields(ctx, z.object({ webhookid: id }));
    ctx.body = { Secret: webhookSecret(pluginSecret, (await own(ctx, webhookid))._id) };
  });
  router.get('/webhook/deliveries', async (ctx) => {
    const { webhookid } = fields(ctx, z.object({ webhookid: id }));
    ctx.body = (await deliveries.deliveries(String((await own(ctx, webhookid))._id), 100)).map(deliveryJson);
  });
  return router;
}
