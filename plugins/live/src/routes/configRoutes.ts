import { Router } from '@mediahost/core';
import type { LiveSettings } from '../settings/liveSettings.js';

/** GET /openvidu/api/config, GET /pro/config, POST /pro/restart (and its newer spelling /openvidu/api/restart). */
export function configRoutes(settings: LiveSettings): { api: Router; pro: Router } {
  const restart = async (ctx: Parameters<Parameters<Router['post']>[1]>[0]) => {
    await settings.apply(ctx.request.body);
    ctx.body = settings.openviduConfig();
  };
  const api = new Router();
  api.get('/config', (ctx) => {
    ctx.body = settings.openviduConfig();
  });
  api.get('/health', (ctx) => {
    ctx.body = { status: 'UP', disconnectedMediaNodes: [] };
  });
  api.post('/restart', restart);
  const pro = new Router();
  pro.get('/config', (ctx) => {
    ctx.body = settings.proConfig();
  });
  pro.post('/restart', restart);
  return { api, pro };
}
