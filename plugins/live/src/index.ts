import path from 'node:path';
import { Router, type Plugin } from '@mediahost/core';
import { liveConfigSchema, type LiveConfig } from './config.js';
import { BroadcastService } from './broadcast/broadcastService.js';
import { LiveServer } from './http/liveServer.js';
import { LIVE_SCOPE, openviduAuth } from './http/openviduAuth.js';
import { selectEngine } from './media/engines.js';
import { ensureMediasoupWorker } from './media/mediasoupWorkerBinary.js';
import { LIVE_MEDIA_NEEDS, LiveFfmpeg } from './recording/ffmpeg.js';
import { FINALIZE_RECORDING, finalizeRecordingJob } from './recording/finalizeRecording.js';
import { keepsRecordedSessionOpen, RecordingService } from './recording/recordingService.js';
import { RecordingStore } from './recording/recordingStore.js';
import { broadcastRoutes } from './routes/broadcastRoutes.js';
import { configRoutes } from './routes/configRoutes.js';
import { recordingFileRoutes } from './routes/recordingFiles.js';
import { recordingRoutes } from './routes/recordingRoutes.js';
import { sessionRoutes } from './routes/sessionRoutes.js';
import { speechToTextRoutes } from './routes/speechToTextRoutes.js';
import { GarbageCollector } from './sessions/garbageCollector.js';
import { IpcamConnections } from './ipcam/ipcamConnections.js';
import { SessionRegistry } from './sessions/sessionRegistry.js';
import { LiveSettings } from './settings/liveSettings.js';
import { MediaEndpoints } from './signalling/mediaEndpoints.js';
import { SignallingServer } from './signalling/signallingServer.js';
import { openviduEvents } from './webhooks/openviduEvents.js';
import { WebhookSender } from './webhooks/webhookSender.js';

/** WebRTC sessions, recording and webhooks behind an OpenVidu-compatible API, on a port of its own in the web-service process. */
const live: Plugin<LiveConfig> = {
  name: 'live',
  config: liveConfigSchema,
  scopes: [{ id: LIVE_SCOPE, description: 'Live web-service API and the OpenVidu-compatible API' }],
  media: LIVE_MEDIA_NEEDS,
  permissions: [{ id: 'live.manage', description: 'Manage the live plugin' }],

  async setup({ config, role, media, dataDir, auth, logger, createHttpApp, webhookSubscriptions, jobs, outboundAllowedNetworks }) {
    // empty: it makes the web service mount /live, so the core's /live/health there sits behind live's scope
    const webService = new Router();
    const settings = new LiveSettings(config, path.join(dataDir, 'live', 'settings.json'), path.join(dataDir, 'live', 'recordings'), dataDir);
    await settings.load();
    const sink = new WebhookSender(settings, webhookSubscriptions, path.join(dataDir, 'live', 'cdr', 'CDR.log'), logger).sink;
    const store = new RecordingStore(() => settings.recordingPath);
    const ffmpeg = new LiveFfmpeg(media);
    // Recording post-processing runs wherever jobs run.
    const recordingJobs = [finalizeRecordingJob({ store, ffmpeg, settings, sink }, logger)];
    if (role !== 'ws') return { webService, jobs: recordingJobs };

    const endpoints = new MediaEndpoints(logger);
    const registry = new SessionRegistry({ settings, media: endpoints, keepOpen: keepsRecordedSessionOpen });
    openviduEvents(registry, sink);
    const garbage = new GarbageCollector(registry, settings);
    // First start without a worker: downloads or builds it (minutes, once); werift serves when that fails.
    if (settings.current.engine !== 'werift') await ensureMediasoupWorker((line) => logger.info(line));
    const { engine, skipped } = await selectEngine(settings.current.engine, process.env, { announcedIp: settings.current.announcedIp });
    for (const other of skipped) logger.info(`live: media engine ${other.name} unavailable: ${other.reason}`);
    logger.info(`live: media engine ${engine.name}`);
    const recordings = new RecordingService({ registry, endpoints, store, ffmpeg, settings, finalize: jobs.handle(FINALIZE_RECORDING), sink, logger });
    const broadcasts = new BroadcastService({ registry, endpoints, ffmpeg, logger, allowedNetworks: outboundAllowedNetworks });
    const signalling = new SignallingServer({ registry, engine, endpoints, settings }, logger);

    const guard = openviduAuth(settings, auth);
    const configs = configRoutes(settings);
    const api = new Router();
    api.use(sessionRoutes(registry, new IpcamConnections(registry, endpoints, ffmpeg, logger, outboundAllowedNetworks)).routes(), recordingRoutes(recordings).routes(), broadcastRoutes(broadcasts).routes(), speechToTextRoutes().routes(), configs.api.routes());
    const root = new Router().get('/openvidu/api/config/openvidu-publicurl', (ctx) => {
      ctx.body = settings.publicUrl;
    });
    root.use(recordingFileRoutes(store, settings, guard).routes());
    const server = new LiveServer(createHttpApp(), { api, pro: configs.pro, root }, guard, logger);
    server.onUpgrade(signalling.upgrade);

    return {
      webService,
      jobs: recordingJobs,
      async start() {
        await server.listen(settings.current.port, settings.current.host);
        garbage.start();
      },
      async stop() {
        garbage.stop();
        await Promise.all([recordings.stopAll(), broadcasts.stopAll()]);
        for (const session of registry.list()) registry.close(session, 'openviduServerStopped');
        signalling.close();
        await server.close();
        await engine.close();
      },
    };
  },
};

export default live;
