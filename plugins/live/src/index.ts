import { Router, type Plugin } from '@mediahost/core';

/** WebRTC sessions, recording and broadcasting (OpenVidu-compatible API). Mounted and reachable; its API is built in its own issue. */
const live: Plugin = {
  name: 'live',
  scopes: [{ id: 'live', description: 'Live web-service API' }],
  permissions: [{ id: 'live.manage', description: 'Manage the live plugin' }],
  setup() {
    const health = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'live', status: 'ok' };
    });
    const webService = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'live', status: 'ok' };
    });
    return { public: health, webService };
  },
};

export default live;
