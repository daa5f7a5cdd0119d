import type { LifecycleHooks, Logger, MediaToolchain, PluginAuth, JobQueue } from '@mediahost/core';
import type Koa from 'koa';
import { Router } from '@mediahost/core';
import { BroadcastService } from './broadcast/broadcastService.js';
import { LiveServer } from './http/liveServer.js';
import { openviduAuth } from './http/openviduAuth.js';
import { publicUrlRoute } from './routes/publicUrlRoute.js';
import { openviduApiDescription } from './openvidu/openviduApi.js';
import { selectEngine } from './media/engines.js';
import { ensureMediasoupWorker } from './media/mediasoupWorkerBinary.js';
import type { LiveFfmpeg } from './recording/ffmpeg.js';
import { FINALIZE_RECORDING } from './recording/finalizeRecording.js';
import { keepsRecordedSessionOpen, RecordingService } from './recording/recordingService.js';
import type { RecordingStore } from './recording/recordingStore.js';
import { broadcastRoutes } from './routes/broadcastRoutes.js';
import { configRoutes } from './routes/configRoutes.js';
import { recordingFileRoutes } from './routes/recordingFiles.js';
import { recordingRoutes } from './routes/recordingRoutes.js';
import { mediaNodeRoutes } from './routes/mediaNodeRoutes.js';
import { sessionRoutes } from './routes/sessionRoutes.js';
import { speechToTextRoutes } from './routes/speechToTextRoutes.js';
import { MediaNodeService } from './mediaNodes/mediaNodeService.js';
import { GarbageCollector } from './sessions/garbageCollector.js';
import { IpcamConnections } from './ipcam/ipcamConnections.js';
import { SessionRegistry } from './sessions/sessionRegistry.js';
import type { LiveSettings } from './settings/liveSettings.js';
import { MediaEndpoints } from './signalling/mediaEndpoints.js';
import { SignallingServer } from './signalling/signallingServer.js';
import { openviduEvents, type EventSink } from './webhooks/openviduEvents.js';

export interface OpenviduServerDeps {
  settings: LiveSettings;
  store: RecordingStore;
  ffmpeg: LiveFfmpeg;
  sink: EventSink;
  auth: PluginAuth;
  jobs: JobQueue;
  logger: Logger;
  outboundAllowedNetworks: string[];
  createHttpApp(): Koa;
}

/**
 * The OpenVidu-compatible server on the plugin's own port: sessions, signalling, recording and broadcasts. It lives
 * in the web-service process only (one per platform), so it is built when that process starts, not in setup().
 */
export function openviduServer(deps: OpenviduServerDeps): LifecycleHooks {
  let stop: (() => Promise<void>) | undefined;
  return {
    async start() {
      stop = await startOpenviduServer(deps);
    },
    async stop() {
      await stop?.();
    },
  };
}

async function startOpenviduServer({ settings, store, ffmpeg, sink, auth, jobs, logger, outboundAllowedNetworks, createHttpApp }: OpenviduServerDeps): Promise<() => Promise<void>> {
  // First start without a worker: downloads or builds it (minutes, once); werift serves when that fails.
  if (settings.current.engine !== 'werift') await ensureMediasoupWorker((line) => logger.info(line));
  const { engine, skipped } = await selectEngine(settings.current.engine, process.env, { announcedIp: settings.current.announcedIp, workers: settings.current.mediasoupWorkers });
  for (const other of skipped) logger.info(`live: media engine ${other.name} unavailable: ${other.reason}`);
  logger.info(`live: media engine ${engine.name}, ${engine.nodes.list().length} media node(s)`);
  const endpoints = new MediaEndpoints(logger);
  const registry: SessionRegistry = new SessionRegistry({ settings, media: endpoints, keepOpen: keepsRecordedSessionOpen, place: (session): string | undefined => nodes.place(session) });
  const nodes: MediaNodeService = new MediaNodeService(engine.nodes, registry, sink);
  engine.nodes.on('crashed', (node) => logger.warn(`live: media node ${node.id} died; its sessions were closed`));
  openviduEvents(registry, sink);
  const garbage = new GarbageCollector(registry, settings);
  const recordings = new RecordingService({ registry, endpoints, store, ffmpeg, settings, finalize: jobs.handle(FINALIZE_RECORDING), sink, logger });
  const broadcasts = new BroadcastService({ registry, endpoints, ffmpeg, logger, allowedNetworks: outboundAllowedNetworks });
  const signalling = new SignallingServer({ registry, engine, endpoints, settings }, logger);

  const guard = openviduAuth(settings, auth);
  const description = openviduApiDescription();
  const configs = configRoutes({ settings, api: description });
  const api = new Router();
  const ipcams = new IpcamConnections(registry, endpoints, ffmpeg, logger, outboundAllowedNetworks);
  api.use(
    sessionRoutes({ registry, ipcams, nodes, api: description }).routes(),
    mediaNodeRoutes({ nodes, api: description }).routes(),
    recordingRoutes({ recordings, api: description }).routes(),
    broadcastRoutes({ broadcasts, api: description }).routes(),
    speechToTextRoutes({ api: description }).routes(),
    configs.api.routes(),
  );
  const root = publicUrlRoute(settings, description);
  root.use(recordingFileRoutes({ store, settings, guard }).routes());
  const server = new LiveServer(createHttpApp(), { api, pro: configs.pro, root, document: description.documentRoute() }, guard, logger);
  server.onUpgrade(signalling.upgrade);

  await server.listen(settings.current.port, settings.current.host);
  garbage.start();
  return async () => {
    garbage.stop();
    await Promise.all([recordings.stopAll(), broadcasts.stopAll()]);
    for (const session of registry.list()) registry.close(session, 'openviduServerStopped');
    signalling.close();
    await server.close();
    await engine.close();
  };
}
