import { Router, type Plugin } from '@mediahost/core';
import { publishConfigSchema, type PublishConfig } from './config.js';
import { transcodeJob } from './jobs/transcode.js';
import { fileModel } from './models/file.js';
import { folderModel } from './models/folder.js';
import { mediaRoutes } from './routes/public/media.js';
import { playerRoutes } from './routes/public/player.js';
import { encodingRoutes } from './routes/ws/encodings.js';
import { uploadRoutes } from './routes/ws/uploads.js';
import { videoRoutes } from './routes/ws/videos.js';
import { Encodings } from './services/encodings.js';
import { Ffmpeg, locateBinaries } from './services/ffmpeg.js';
import { FileService } from './services/files.js';
import { Ingest } from './services/ingest.js';
import { MediaCookie } from './services/mediaCookie.js';
import { TusUploads } from './services/tusUploads.js';
import { VideoCatalog } from './services/videoCatalog.js';

/** Video on demand: uploads, transcoding to HLS, the player and the media API. */
const publish: Plugin<PublishConfig> = {
  name: 'publish',
  config: publishConfigSchema,
  scopes: [{ id: 'publish', description: 'Publish web-service API: files, folders, uploads, webhooks' }],
  permissions: [{ id: 'publish.manage', description: 'Manage videos' }],

  async setup({ db, auth, config, storage, jobs, urls, secret, events, role, logger }) {
    const files = fileModel(db);
    const folders = folderModel(db);
    const ffmpeg = new Ffmpeg(locateBinaries(config));
    const fileService = new FileService(files, folders, urls.backOffice);
    const ingest = new Ingest(files, storage, ffmpeg, jobs);
    const tus = new TusUploads(storage, config.maxUploadBytes, config.uploadExpiryHours * 3600_000);
    const cookie = new MediaCookie(await secret('media-cookie'), config.mediaCookieTtlSeconds);

    const webService = new Router();
    const encodings = new Encodings(files, fileService, jobs);
    for (const routes of [uploadRoutes(tus, ingest, fileService, auth), encodingRoutes(encodings, fileService, auth), videoRoutes(new VideoCatalog(files), auth)]) {
      webService.use(routes.routes());
    }

    const publicRoutes = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'publish', status: 'ok' };
    });
    publicRoutes.use(playerRoutes(files, cookie).routes(), mediaRoutes(files, storage, cookie).routes());

    let cleanup: NodeJS.Timeout | undefined;
    return {
      webService,
      public: publicRoutes,
      jobs: [transcodeJob({ files, storage, ffmpeg, config, onFinished: (file) => events.emit('publish.encoding.finished', file) })],
      async start() {
        if (role !== 'ws') return;
        const sweep = () => tus.cleanUpExpired().catch((error: unknown) => logger.warn('could not clean expired uploads', { error }));
        cleanup = setInterval(sweep, 3600_000);
        cleanup.unref();
      },
      async stop() {
        clearInterval(cleanup);
      },
    };
  },
};

export default publish;
