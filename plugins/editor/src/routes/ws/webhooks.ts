import type { Context } from 'koa';
import { describedRouter, NotFoundError, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { WEBHOOK_EVENTS } from '../../models/webhook.js';
import type { Access } from '../../services/access.js';
import { webhookView, type EditorWebhooks } from '../../services/webhooks.js';
import { idParam, optionalId } from './params.js';
import { success, successSchema, webhookViewSchema } from './wevSchemas.js';

const registerSchema = z.object({ event: z.enum(WEBHOOK_EVENTS), url: z.string().url().max(2000), instanceId: optionalId });

/** Webhooks per instance and event. */
export function webhookRoutes({ access, webhooks, auth, api }: { access: Access; webhooks: EditorWebhooks; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('', api);
  const listed = { 200: { description: 'The webhooks', schema: success({ webhooks: z.array(webhookViewSchema) }) } };
  const principal = (ctx: Context) => auth.principal(ctx)!;

  route({ method: 'post', path: '/api/4/webhooks', summary: 'Registers a webhook for an event of an instance', body: registerSchema, responses: { 200: { description: 'Its id', schema: success({ id: z.number().int() }) } }, errors: [404] }, async (ctx) => {
    const input = parseInput(registerSchema, ctx.request.body ?? {});
    const instance = await access.instance(principal(ctx), input.instanceId);
    const hook = await webhooks.register(instance._id, input.event, input.url);
    ctx.body = { success: true, id: hook.id };
  });
  const list = async (ctx: Context) => {
    const instance = await access.instance(principal(ctx), idParam(ctx.params.instanceId, 'instanceId'));
    ctx.body = { success: true, webhooks: (await webhooks.list(instance._id)).map(webhookView) };
  };
  // The reference names both: its endpoint line /webhooks/instance/<id>, its curl example /webhooks/<id>.
  route({ method: 'get', path: '/api/4/webhooks/instance/{instanceId}', summary: "An instance's webhooks", responses: listed, errors: [404] }, list);
  route({ method: 'get', path: '/api/4/webhooks/{instanceId}', summary: "An instance's webhooks (the reference's example path)", responses: listed, errors: [404] }, list);
  route({ method: 'delete', path: '/api/4/webhooks/{id}', summary: 'Removes a webhook', responses: { 200: { description: 'Done', schema: successSchema } }, errors: [404] }, async (ctx) => {
    const hook = await webhooks.get(idParam(ctx.params.id));
    await access.ownsInstance(principal(ctx), hook.instanceId).catch(() => {
      throw new NotFoundError(`Webhook ${hook.id} not found`);
    });
    await webhooks.remove(hook);
    ctx.body = { success: true };
  });
  return router;
}
