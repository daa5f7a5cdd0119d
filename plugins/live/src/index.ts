import path from 'node:path';
import { Router, type Plugin } from '@mediahost/core';
import { liveConfigSchema, type LiveConfig } from './config.js';
import { LiveServer } from './http/liveServer.js';
import { selectEngine } from './media/engines.js';
import { MediaEndpoints } from './signalling/mediaEndpoints.js';
import { SignallingServer } from './signalling/signallingServer.js';
import { LIVE_SCOPE, openviduAuth } from './http/openviduAuth.js';
import { configRoutes } from './routes/configRoutes.js';
import { sessionRoutes } from './routes/sessionRoutes.js';
import { GarbageCollector } from './sessions/garbageCollector.js';
import { SessionRegistry } from './sessions/sessionRegistry.js';
import { openviduEvents } from './webhooks/openviduEvents.js';
import { WebhookSender } from './webhooks/webhookSender.js';
import { LiveSettings } from './settings/liveSettings.js';

/** WebRTC sessions, recording and webhooks behind an OpenVidu-compatible API, on a port of its own in the web-service process. */
const live: Plugin<LiveConfig> = {
  name: 'live',
  config: liveConfigSchema,
  scopes: [{ id: LIVE_SCOPE, description: 'Live web-service API and the OpenVidu-compatible API' }],
  permissions: [{ id: 'live.manage', description: 'Manage the live plugin' }],

  async setup({ config, role, dataDir, auth, logger, createHttpApp, webhooks }) {
    const health = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'live', status: 'ok' };
    });
    const webService = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'live', status: 'ok' };
    });
    if (role !== 'ws') return { public: health, webService };

    const settings = new LiveSettings(config, path.join(dataDir, 'live', 'settings.json'), path.join(dataDir, 'live', 'recordings'));
    await settings.load();
    const registry = new SessionRegistry(settings);
    openviduEvents(registry, new WebhookSender(settings, webhooks, path.join(dataDir, 'live', 'cdr', 'CDR.log'), logger).sink);
    const garbage = new GarbageCollector(registry, settings);
    const configs = configRoutes(settings);
    const api = new Router();
    api.use(sessionRoutes(registry).routes(), configs.api.routes());
    const root = new Router().get('/openvidu/api/config/openvidu-publicurl', (ctx) => {
      ctx.body = settings.publicUrl;
    });
    const { engine, skipped } = await selectEngine(settings.current.engine);
    for (const other of skipped) logger.info(`live: media engine ${other.name} unavailable: ${other.reason}`);
    logger.info(`live: media engine ${engine.name}`);
    const endpoints = new MediaEndpoints(logger);
    registry.media = endpoints;
    const signalling = new SignallingServer({ registry, engine, endpoints, settings }, logger);
    const server = new LiveServer(createHttpApp(), { api, pro: configs.pro, root }, openviduAuth(settings, auth), logger);

    server.onUpgrade(signalling.upgrade);

    return {
      public: health,
      webService,
      async start() {
        await server.listen(settings.current.port, settings.current.host);
        garbage.start();
      },
      async stop() {
        garbage.stop();
        for (const session of registry.list()) registry.close(session, 'openviduServerStopped');
        signalling.close();
        await server.close();
        await engine.close();
      },
    };
  },
};

export default live;
