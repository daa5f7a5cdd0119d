import path from 'node:path';
import type { Plugin } from '@mediahost/core';
import { liveConfigSchema, type LiveConfig } from './config.js';
import { LIVE_SCOPE } from './http/openviduAuth.js';
import { openviduServer } from './openviduServer.js';
import { LIVE_MEDIA_NEEDS, LiveFfmpeg } from './recording/ffmpeg.js';
import { finalizeRecordingJob } from './recording/finalizeRecording.js';
import { BucketRecordingStore } from './recording/bucketRecordingStore.js';
import { LocalRecordingStore } from './recording/recordingStore.js';
import { PUBLISH_RECORDING, publishRecordingJob, wantedInLibrary } from './recording/libraryHandOver.js';
import type { RecordingInfo } from './recording/recordingModel.js';
import { LiveSettings } from './settings/liveSettings.js';
import { WebhookSender } from './webhooks/webhookSender.js';

/** WebRTC sessions, recording and webhooks behind an OpenVidu-compatible API, on a port of its own in the web-service process. */
const live: Plugin<LiveConfig> = {
  name: 'live',
  config: liveConfigSchema,
  scopes: [{ id: LIVE_SCOPE, description: 'Live web-service API and the OpenVidu-compatible API' }],
  media: LIVE_MEDIA_NEEDS,
  permissions: [{ id: 'live.manage', description: 'Manage the live plugin' }],

  async setup({ config, media, dataDir, storage, auth, logger, createHttpApp, webhookSubscriptions, jobs, events, outboundAllowedNetworks, routes }) {
    // empty: it makes the web service mount /live, so the core's /live/health there sits behind live's scope
    routes.webService({ scope: LIVE_SCOPE });
    const settings = new LiveSettings(config, path.join(dataDir, 'live', 'settings.json'), path.join(dataDir, 'live', 'recordings'), dataDir);
    await settings.load();
    const sink = new WebhookSender(settings, webhookSubscriptions, path.join(dataDir, 'live', 'cdr', 'CDR.log'), logger).sink;
    // On S3 the recording path only holds the tracks being recorded on this media node; the rest is in the bucket.
    const store = storage.kind === 's3' ? new BucketRecordingStore(() => settings.recordingPath, storage) : new LocalRecordingStore(() => settings.recordingPath);
    const ffmpeg = new LiveFfmpeg(media);
    const toLibrary = { wanted: (info: RecordingInfo) => wantedInLibrary(info, config.recording.publishToLibrary), job: jobs.handle(PUBLISH_RECORDING) };
    return {
      // Recording post-processing runs wherever jobs run.
      jobs: [finalizeRecordingJob({ store, ffmpeg, settings, sink, toLibrary }, logger), publishRecordingJob({ store, events, storage })],
      roles: { ws: openviduServer({ settings, store, ffmpeg, sink, auth, jobs, logger, outboundAllowedNetworks, createHttpApp }) },
    };
  },
};

export default live;
