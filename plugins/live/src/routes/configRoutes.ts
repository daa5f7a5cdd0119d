import { ForbiddenError, Router } from '@mediahost/core';
import type { Context } from 'koa';
import { callerOf } from '../openvidu/caller.js';
import type { LiveSettings } from '../settings/liveSettings.js';

/** The settings are global to every application: only the operator changes them, or reads the webhook's headers. */
function operatorOnly(ctx: Context): void {
  if (!callerOf(ctx).operator) throw new ForbiddenError('Only the operator (OPENVIDUAPP and the OpenVidu secret) may change the configuration');
}

/** GET /openvidu/api/config, GET /pro/config, POST /pro/restart (and its newer spelling /openvidu/api/restart). */
export function configRoutes(settings: LiveSettings): { api: Router; pro: Router } {
  /** Each spelling answers in its own form: Pro's camelCase below /pro, CE's properties below /openvidu/api. */
  const restart = (form: 'pro' | 'ce') => async (ctx: Context) => {
    operatorOnly(ctx);
    await settings.apply(ctx.request.body);
    ctx.body = form === 'pro' ? settings.proConfig() : settings.openviduConfig();
  };
  const api = new Router();
  api.get('/config', (ctx) => {
    ctx.body = settings.openviduConfig({ withSecrets: callerOf(ctx).operator });
  });
  api.get('/health', (ctx) => {
    ctx.body = { status: 'UP', disconnectedMediaNodes: [] };
  });
  api.post('/restart', restart('ce'));
  const pro = new Router();
  pro.get('/config', (ctx) => {
    ctx.body = settings.proConfig({ withSecrets: callerOf(ctx).operator });
  });
  pro.post('/restart', restart('pro'));
  return { api, pro };
}
