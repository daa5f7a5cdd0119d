import type { Context } from 'koa';
import { describedRouter, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { Fonts } from '../../services/fonts.js';
import { idParam } from './params.js';
import { fontSettingsSchema, success, successSchema } from './wevSchemas.js';

const addSchema = z.object({ url: z.string().max(2000), name: z.string().trim().min(1).max(200) });
const removeSchema = z.object({ name: z.string().trim().min(1).max(200) });
const colours = z.string().regex(/^\s*#[0-9a-fA-F]{6}(\s*,\s*#[0-9a-fA-F]{6})*\s*$/, 'a comma-separated list of hex colours like #028BFF,#ffffff');
const settingsSchema = z.object({ disableDefaultFonts: z.boolean().optional(), standardFont: z.string().trim().min(1).max(200).optional(), textColors: colours.optional(), allColors: z.boolean().optional() });

/** Custom fonts and font settings of an instance. */
export function fontRoutes({ access, fonts, auth, api }: { access: Access; fonts: Fonts; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('', api);
  const done = { 200: { description: 'Done', schema: successSchema } };
  const instanceOf = (ctx: Context) => access.instance(auth.principal(ctx)!, idParam(ctx.params.id));

  route({ method: 'post', path: '/api/4/instance/{id}/fonts', summary: 'Adds a custom font (a .ttf fetched from url)', body: addSchema, responses: done, errors: [404, 409] }, async (ctx) => {
    const instance = await instanceOf(ctx);
    const input = parseInput(addSchema, ctx.request.body ?? {});
    await fonts.add(instance, input.url, input.name);
    ctx.body = { success: true };
  });
  route({ method: 'get', path: '/api/4/instance/{id}/fonts', summary: "An instance's custom fonts", responses: { 200: { description: 'Their names', schema: success({ fonts: z.array(z.string()) }) } }, errors: [404] }, async (ctx) => {
    const instance = await instanceOf(ctx);
    ctx.body = { success: true, fonts: (await fonts.list(instance._id)).map((f) => f.name) };
  });
  route({ method: 'delete', path: '/api/4/instance/{id}/fonts', summary: 'Removes a custom font', body: removeSchema, responses: done, errors: [404] }, async (ctx) => {
    const instance = await instanceOf(ctx);
    await fonts.remove(instance._id, parseInput(removeSchema, ctx.request.body ?? {}).name);
    ctx.body = { success: true };
  });
  route({ method: 'post', path: '/api/4/instance/{id}/fonts/settings', summary: "Changes an instance's font settings", body: settingsSchema, responses: done, errors: [404] }, async (ctx) => {
    const instance = await instanceOf(ctx);
    const input = parseInput(settingsSchema, ctx.request.body ?? {});
    const set = Object.fromEntries(
      Object.entries({ ...input, ...(input.textColors ? { textColors: input.textColors.split(',').map((c) => c.trim()) } : {}) }).map(([key, value]) => [`fontSettings.${key}`, value]),
    );
    if (Object.keys(set).length) await access.instances.update(instance, set);
    ctx.body = { success: true };
  });
  route({ method: 'get', path: '/api/4/instance/{id}/fonts/settings', summary: "An instance's font settings and the fonts it may use", responses: { 200: { description: 'The settings', schema: success({ settings: fontSettingsSchema, available: z.array(z.string()) }) } }, errors: [404] }, async (ctx) => {
    const instance = await instanceOf(ctx);
    ctx.body = { success: true, settings: instance.fontSettings ?? {}, available: await fonts.available(instance) };
  });
  return router;
}
