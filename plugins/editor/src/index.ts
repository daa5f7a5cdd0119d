import { Router, type Plugin } from '@mediahost/core';

/** The embedded video editor and its WeVideo-compatible API. Mounted and reachable; its API is built in its own issue. */
const editor: Plugin = {
  name: 'editor',
  scopes: [{ id: 'editor', description: 'Editor web-service API' }],
  permissions: [{ id: 'editor.manage', description: 'Manage the editor plugin' }],
  setup() {
    const health = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'editor', status: 'ok' };
    });
    const webService = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'editor', status: 'ok' };
    });
    return { public: health, webService };
  },
};

export default editor;
