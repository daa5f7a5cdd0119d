import { ForbiddenError, Router, z, type ApiDescription } from '@mediahost/core';
import type { Context } from 'koa';
import { callerOf } from '../openvidu/caller.js';
import { healthSchema, openviduConfigSchema, proConfigSchema } from '../openvidu/responses.js';
import type { LiveSettings } from '../settings/liveSettings.js';

/** The settings are global to every application: only the operator changes them, or reads the webhook's headers. */
function operatorOnly(ctx: Context): void {
  if (!callerOf(ctx).operator) throw new ForbiddenError('Only the operator (OPENVIDUAPP and the OpenVidu secret) may change the configuration');
}

/** Configuration properties by name (OPENVIDU_… or camelCase); LiveSettings.apply checks each name and value. */
const configChangesSchema = z.record(z.string(), z.unknown());

/** GET /openvidu/api/config, GET /pro/config, POST /pro/restart (and its newer spelling /openvidu/api/restart). */
export function configRoutes({ settings, api }: { settings: LiveSettings; api: ApiDescription }): { api: Router; pro: Router } {
  /** Each spelling answers in its own form: Pro's camelCase below /pro, CE's properties below /openvidu/api. */
  const restart = (form: 'pro' | 'ce') => async (ctx: Context) => {
    operatorOnly(ctx);
    await settings.apply(ctx.request.body);
    ctx.body = form === 'pro' ? settings.proConfig() : settings.openviduConfig();
  };
  const apiRoutes = new Router();
  api.route(apiRoutes, { method: 'get', path: '/config', summary: "The server's configuration (webhook header values for the operator only)", responses: { 200: { description: 'The configuration', schema: openviduConfigSchema } } }, (ctx) => {
    ctx.body = settings.openviduConfig({ withSecrets: callerOf(ctx).operator });
  });
  api.route(apiRoutes, { method: 'get', path: '/health', summary: 'Whether the server and its Media Nodes are up', responses: { 200: { description: 'Up', schema: healthSchema } } }, (ctx) => {
    ctx.body = { status: 'UP', disconnectedMediaNodes: [] } satisfies z.output<typeof healthSchema>;
  });
  api.route(
    apiRoutes,
    { method: 'post', path: '/restart', summary: 'Change configuration properties (the operator only)', body: configChangesSchema, responses: { 200: { description: 'The new configuration', schema: openviduConfigSchema } }, errors: [403] },
    restart('ce'),
  );
  // OpenVidu Pro's spellings, below /pro on the same port and in the same document.
  const pro = new Router();
  api.route(pro, { method: 'get', root: '/pro', path: '/config', summary: "The server's configuration, Pro's camelCase (webhook header values for the operator only)", responses: { 200: { description: 'The configuration', schema: proConfigSchema } } }, (ctx) => {
    ctx.body = settings.proConfig({ withSecrets: callerOf(ctx).operator });
  });
  api.route(
    pro,
    { method: 'post', root: '/pro', path: '/restart', summary: 'Change configuration properties (the operator only), answered in Pro\'s camelCase', body: configChangesSchema, responses: { 200: { description: 'The new configuration', schema: proConfigSchema } }, errors: [403] },
    restart('pro'),
  );
  return { api: apiRoutes, pro };
}
