import type { Context } from 'koa';
import { describedRouter, NotFoundError, z, type ApiDescription, type DeliveryDoc, type PluginAuth, type Router, type WebhookSubscriptions } from '@mediahost/core';
import { WEBHOOK_EVENTS, type VideocmsHook, type VideocmsHookData } from '../../models/webhook.js';
import { FORM_TYPES } from './formTypes.js';
import { fields, id } from './videocmsInput.js';
import { OK_TEXT, webhookDeliverySchema, webhookSchema } from './videocmsSchemas.js';

function webhookJson(hook: VideocmsHook) {
  return {
    ID: hook.id,
    CreatedAt: hook.createdAt,
    UpdatedAt: hook.updatedAt,
    DeletedAt: null,
    Name: hook.data.name,
    Url: hook.url,
    Rpm: hook.data.rpm,
    ReqQuery: hook.data.reqQuery,
    ResField: hook.data.resField,
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
const webhookRef = z.object({ webhookid: id });
const webhookChange = webhookFields.extend(webhookRef.shape);

interface WebhookRouteDeps {
  subscriptions: WebhookSubscriptions;
  auth: PluginAuth;
  api: ApiDescription;
}

/** The owner's webhooks below api/: VideoCMS's CRUD (answering `ok`), plus each hook's signing secret and delivery log. */
export function webhookRoutes({ subscriptions, auth, api }: WebhookRouteDeps): Router {
  const { router, route } = describedRouter('/api', api);
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;
  const notFound = (webhookId: number) => new NotFoundError(`Webhook ${webhookId} not found`);
  const own = async (ctx: Context, webhookId: number) => {
    const hook = await subscriptions.get<VideocmsHookData>(owner(ctx), webhookId);
    if (!hook) throw notFound(webhookId);
    return hook;
  };
  const ok = (ctx: Context) => {
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  };
  const toSubscription = (input: z.infer<typeof webhookFields>) => ({
    url: input.url,
    events: input.events,
    data: { name: input.name, rpm: input.rpm, reqQuery: input.reqquery, resField: input.resfield },
  });

  route({ method: 'get', path: '/webhooks', summary: "The caller's webhooks", responses: { 200: { description: 'The webhooks, by name', schema: z.array(webhookSchema) } } }, async (ctx) => {
    const hooks = await subscriptions.list<VideocmsHookData>(owner(ctx));
    ctx.body = hooks.sort((a, b) => (a.data.name < b.data.name ? -1 : a.data.name > b.data.name ? 1 : 0)).map(webhookJson);
  });
  route({ method: 'post', path: '/webhook', summary: 'Creates a webhook', body: webhookFields, bodyContentTypes: [FORM_TYPES[0]!], responses: { 200: OK_TEXT } }, async (ctx) => {
    const input = fields(ctx, webhookFields);
    await subscriptions.add(owner(ctx), toSubscription(input));
    ok(ctx);
  });
  route({ method: 'put', path: '/webhook', summary: 'Changes a webhook', body: webhookChange, responses: { 200: OK_TEXT }, errors: [404] }, async (ctx) => {
    const input = fields(ctx, webhookChange);
    if (!(await subscriptions.update(owner(ctx), input.webhookid, toSubscription(input)))) throw notFound(input.webhookid);
    ok(ctx);
  });
  route({ method: 'delete', path: '/webhook', summary: 'Deletes a webhook', body: webhookRef, bodyContentTypes: [FORM_TYPES[0]!], responses: { 200: OK_TEXT }, errors: [404] }, async (ctx) => {
    const { webhookid } = fields(ctx, webhookRef);
    if (!(await subscriptions.remove(owner(ctx), webhookid))) throw notFound(webhookid);
    ok(ctx);
  });
  route({ method: 'get', path: '/webhook/secret', summary: "A webhook's signing secret", query: webhookRef, responses: { 200: { description: 'The secret', schema: z.object({ Secret: z.string() }) } }, errors: [404] }, async (ctx) => {
    const { webhookid } = fields(ctx, webhookRef);
    ctx.body = { Secret: await subscriptions.secret((await own(ctx, webhookid)).id) };
  });
  route({ method: 'get', path: '/webhook/deliveries', summary: "A webhook's last 100 deliveries", query: webhookRef, responses: { 200: { description: 'The deliveries', schema: z.array(webhookDeliverySchema) } }, errors: [404] }, async (ctx) => {
    const { webhookid } = fields(ctx, webhookRef);
    ctx.body = (await subscriptions.deliveries((await own(ctx, webhookid)).id, 100)).map(deliveryJson);
  });
  return router;
}
