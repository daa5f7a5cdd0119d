import { Router, type Plugin } from '@mediahost/core';
import { videoModel } from './models/video.js';
import { videoRoutes } from './routes/ws/videos.js';
import { VideoCatalog } from './services/videoCatalog.js';

/** Video on demand: uploads, transcoding, the player and the media API. */
const publish: Plugin = {
  name: 'publish',
  scopes: [{ id: 'publish', description: 'Publish web-service API: videos, folders, uploads' }],
  permissions: [{ id: 'publish.manage', description: 'Manage videos' }],
  setup({ db, auth }) {
    const catalog = new VideoCatalog(videoModel(db));
    const publicRoutes = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'publish', status: 'ok' };
    });
    return { webService: videoRoutes(catalog, auth), public: publicRoutes };
  },
};

export default publish;
