import type { Context } from 'koa';
import { parseInput, Router, z, type PluginAuth } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { Fonts } from '../../services/fonts.js';
import { idParam } from './params.js';

const addSchema = z.object({ url: z.string().max(2000), name: z.string().trim().min(1).max(200) });
const removeSchema = z.object({ name: z.string().trim().min(1).max(200) });
const colours = z.string().regex(/^\s*#[0-9a-fA-F]{6}(\s*,\s*#[0-9a-fA-F]{6})*\s*$/, 'a comma-separated list of hex colours like #028BFF,#ffffff');
const settingsSchema = z.object({ disableDefaultFonts: z.boolean().optional(), standardFont: z.string().trim().min(1).max(200).optional(), textColors: colours.optional(), allColors: z.boolean().optional() });

/** Custom fonts and font settings of an instance. */
export function fontRoutes({ access, fonts, auth }: { access: Access; fonts: Fonts; auth: PluginAuth }): Router {
  const router = new Router();
  const instanceOf = (ctx: Context) => access.instance(auth.principal(ctx)!, idParam(ctx.params.id));

  router.post('/api/4/instance/:id/fonts', async (ctx) => {
    const instance = await instanceOf(ctx);
    const input = parseInput(addSchema, ctx.request.body ?? {});
    await fonts.add(instance, input.url, input.name);
    ctx.body = { success: true };
  });
  router.get('/api/4/instance/:id/fonts', async (ctx) => {
    const instance = await instanceOf(ctx);
    ctx.body = { success: true, fonts: (await fonts.list(instance._id)).map((f) => f.name) };
  });
  router.delete('/api/4/instance/:id/fonts', async (ctx) => {
    const instance = await instanceOf(ctx);
    await fonts.remove(instance._id, parseInput(removeSchema, ctx.request.body ?? {}).name);
    ctx.body = { success: true };
  });
  router.post('/api/4/instance/:id/fonts/settings', async (ctx) => {
    const instance = await instanceOf(ctx);
    const input = parseInput(settingsSchema, ctx.request.body ?? {});
    const set = Object.fromEntries(
      Object.entries({ ...input, ...(input.textColors ? { textColors: input.textColors.split(',').map((c) => c.trim()) } : {}) }).map(([key, value]) => [`fontSettings.${key}`, value]),
    );
    if (Object.keys(set).length) await access.instances.update(instance, set);
    ctx.body = { success: true };
  });
  router.get('/api/4/instance/:id/fonts/settings', async (ctx) => {
    const instance = await instanceOf(ctx);
    ctx.body = { success: true, settings: instance.fontSettings ?? {}, available: await fonts.available(instance) };
  });
  return router;
}
