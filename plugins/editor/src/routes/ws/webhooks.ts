import type { Context } from 'koa';
import { NotFoundError, parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import { WEBHOOK_EVENTS } from '../../models/webhook.js';
import type { Access } from '../../services/access.js';
import { webhookView, type EditorWebhooks } from '../../services/webhooks.js';
import { idParam, optionalId } from './params.js';

const registerSchema = z.object({ event: z.enum(WEBHOOK_EVENTS), url: z.string().url().max(2000), instanceId: optionalId });

/** Webhooks per instance and event. */
export function webhookRoutes({ access, webhooks, auth }: { access: Access; webhooks: EditorWebhooks; auth: PluginAuth }): Router {
  const router = new Router();
  const principal = (ctx: Context) => auth.principal(ctx)!;

  router.post('/api/4/webhooks', async (ctx) => {
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
  router.get('/api/4/webhooks/instance/:instanceId', list);
  router.get('/api/4/webhooks/:instanceId', list);
  router.delete('/api/4/webhooks/:id', async (ctx) => {
    const hook = await webhooks.get(idParam(ctx.params.id));
    await access.ownsInstance(principal(ctx), hook.instanceId).catch(() => {
      throw new NotFoundError(`Webhook ${hook.id} not found`);
    });
    await webhooks.remove(hook);
    ctx.body = { success: true };
  });
  return router;
}
