import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, Router, sendStored } from '@mediahost/core';
import type { Middleware } from 'koa';
import { mayAccess } from '../openvidu/caller.js';
import type { RecordingStore } from '../recording/recordingStore.js';
import type { LiveSettings } from '../settings/liveSettings.js';

const TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.mkv': 'video/x-matroska', '.zip': 'application/zip', '.json': 'application/json' };
const FILE = /^[a-zA-Z0-9_\-~.]+\.(mp4|webm|mkv|zip|json)$/;

/**
 * GET /openvidu/recordings/<id>/<file>: behind OpenVidu credentials unless public access is on, and then only to the
 * recording's owner or the operator (another application's recording answers like an unknown one); Range requests answered.
 */
export function recordingFileRoutes({ store, settings, guard }: { store: RecordingStore; settings: LiveSettings; guard: Middleware }): Router {
  const router = new Router();
  const maybeGuard: Middleware = (ctx, next) => (settings.current.recording.publicAccess ? next() : guard(ctx, next));
  router.get('/openvidu/recordings/:recordingId/:file', maybeGuard, async (ctx) => {
    const { recordingId, file } = ctx.params as { recordingId: string; file: string };
    const info = await store.get(recordingId);
    // No caller means the guard was skipped for public access.
    const { caller } = ctx.state;
    const allowed = info !== undefined && (caller ? mayAccess(caller, info.owner) : settings.current.recording.publicAccess);
    if (!info || !allowed || !FILE.test(file) || file.startsWith('.')) throw new NotFoundError('No such recording file');
    const contentType = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const where = store.file(recordingId, file);
    if ('key' in where) return sendStored(ctx, where.storage, where.key, { contentType });
    const full = where.path;
    if (path.dirname(full) !== store.dir(recordingId)) throw new NotFoundError('No such recording file');
    const size = await stat(full).then((s) => (s.isFile() ? s.size : -1), () => -1);
    if (size < 0) throw new NotFoundError('No such recording file');
    ctx.type = contentType;
    ctx.set('Accept-Ranges', 'bytes');
    const range = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('Range'));
    if (range && (range[1] || range[2])) {
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || start > end) {
        ctx.status = 416;
        ctx.set('Content-Range', `bytes */${size}`);
        return;
      }
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
      ctx.length = end - start + 1;
      ctx.body = createReadStream(full, { start, end });
      return;
    }
    ctx.length = size;
    ctx.body = createReadStream(full);
  });
  return router;
}
