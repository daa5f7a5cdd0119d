import type { Context, Next } from 'koa';
import { NotFoundError, Router, sendStored, type Model, type Storage } from '@mediahost/core';
import type { FileDoc } from '../../models/file.js';
import type { MediaCookie } from '../../services/mediaCookie.js';
import type { UsageMeter } from '../../services/usageMeter.js';
import { MEDIA_COOKIE } from '../../services/mediaCookie.js';
import { mediaFiles, mediaLayout, MUTED_STREAM } from '../../services/mediaLayout.js';
import { RecentReadyFiles } from '../../services/recentReadyFiles.js';

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.vtt': 'text/vtt; charset=utf-8',
  '.mp4': 'video/mp4',
  '.mkv': 'video/x-matroska',
  '.jpg': 'image/jpeg',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEGMENT = /^seg_\d{5}\.ts$/;
/** The spellings Go's strconv.ParseBool reads, which VideoCMS uses for STREAM. */
const STREAM_FLAGS: Record<string, boolean> = Object.fromEntries([
  ...['1', 't', 'T', 'true', 'TRUE', 'True'].map((s) => [s, true]),
  ...['0', 'f', 'F', 'false', 'FALSE', 'False'].map((s) => [s, false]),
]);

/**
 * The media routes of the VideoCMS reference, below the plugin's public prefix. Every path segment is checked against what the
 * file record knows (its renditions, tracks, generated names) before anything is read from disk; all but the
 * thumbnails need the vc_media cookie the player page set.
 */
export function mediaRoutes({ files, storage, cookie, usage }: { files: Model<FileDoc>; storage: Storage; cookie: MediaCookie; usage: UsageMeter }): Router {
  const router = new Router();

  const recent = new RecentReadyFiles(files);
  const file = (ctx: Context): FileDoc => {
    if (!ctx.state.file) throw new Error('media route reached without readyFile');
    return ctx.state.file;
  };
  const readyFile = async (ctx: Context, next: Next) => {
    const file = await recent.get(ctx.params.uuid!);
    if (!file) throw new NotFoundError('Media not found');
    ctx.state.file = file;
    await next();
  };
  const withCookie = async (ctx: Context, next: Next) => {
    if (!cookie.opens(ctx.cookies.get(MEDIA_COOKIE), ctx.params.uuid!)) {
      ctx.status = 403;
      ctx.body = { error: { code: 'forbidden', module: 'publish', message: 'Open the player page first: media needs its vc_media cookie' } };
      return;
    }
    await next();
  };
  // Traffic is counted in memory, in its owner's and file's name: no database write per segment.
  const serve = (ctx: Context, relative: string, { cache = 'private, max-age=3600', download }: { cache?: string; download?: string } = {}) => {
    const served = file(ctx);
    const onSent = (bytes: number) => usage.record('traffic', served.owner, bytes, { fileId: served._id });
    const contentType = TYPES[relative.slice(relative.lastIndexOf('.'))];
    return sendStored(ctx, storage, `${mediaLayout.media(served._id)}/${relative}`, { contentType, cacheControl: cache, download, onSent });
  };
  const rendition = (ctx: Context) => {
    const found = file(ctx).renditions.find((r) => r.name === ctx.params.quality);
    if (!found) throw new NotFoundError('Media not found');
    return found.name;
  };
  const track = (ctx: Context, kind: 'audio' | 'subtitles', param: string) => {
    const found = file(ctx)[kind].find((t) => t.id === ctx.params[param]);
    if (!found) throw new NotFoundError('Media not found');
    return found.id;
  };

  router.param('uuid', async (uuid, ctx, next) => {
    if (!UUID.test(uuid)) throw new NotFoundError('Media not found');
    await next();
  });

  router.get('/:uuid/image/thumb/:name', readyFile, (ctx) => {
    const name = ctx.params.name!;
    const n = /^thumb_(\d{3})\.jpg$/.exec(name);
    if (name !== 'poster.jpg' && !(n && Number(n[1]) >= 1 && Number(n[1]) <= file(ctx).thumbnails)) throw new NotFoundError('Media not found');
    return serve(ctx, name === 'poster.jpg' ? mediaFiles.poster : mediaFiles.thumb(Number(n![1])), { cache: 'public, max-age=86400' });
  });

  router.get('/:uuid/stream/multi/master.m3u8', withCookie, readyFile, (ctx) => serve(ctx, mediaFiles.multiMaster, { cache: 'private, no-cache' }));
  router.get('/:uuid/stream/muted/master.m3u8', withCookie, readyFile, (ctx) => serve(ctx, mediaFiles.mutedMaster, { cache: 'private, no-cache' }));

  router.get('/:uuid/:sub/subtitle/:name', withCookie, readyFile, (ctx) => {
    const id = track(ctx, 'subtitles', 'sub');
    if (ctx.params.name !== 'subtitle.vtt' && ctx.params.name !== 'subtitle.m3u8') throw new NotFoundError('Media not found');
    return serve(ctx, `${mediaFiles.subtitleDir(id)}/${ctx.params.name}`);
  });
  router.get('/:uuid/:audio/stream/master.m3u8', withCookie, readyFile, (ctx) => serve(ctx, mediaFiles.audioStreamPlaylist(track(ctx, 'audio', 'audio')), { cache: 'private, no-cache' }));
  router.get('/:uuid/:audio/audio/:name', withCookie, readyFile, (ctx) => {
    const id = track(ctx, 'audio', 'audio');
    if (!SEGMENT.test(ctx.params.name!)) throw new NotFoundError('Media not found');
    return serve(ctx, `${mediaFiles.audioDir(id)}/${ctx.params.name}`, { cache: 'private, max-age=31536000, immutable' });
  });
  const mkvDownload = (ctx: Context) => {
    const quality = rendition(ctx);
    return serve(ctx, mediaFiles.mkv(quality), { download: `${file(ctx).name.replace(/\.[^.]*$/, '')}-${quality}.mkv` });
  };
  router.get('/:uuid/:quality/download/video.mkv', withCookie, readyFile, mkvDownload);
  // STREAM is VideoCMS's boolean (/1/: the MP4 with the first audio; /0/: the MKV download) or one of our audio ids.
  router.get('/:uuid/:quality/:stream/stream/video.mp4', withCookie, readyFile, (ctx) => {
    const flag = STREAM_FLAGS[ctx.params.stream!];
    if (flag === false) return mkvDownload(ctx);
    const quality = rendition(ctx);
    const firstAudio = file(ctx).audio[0]?.id ?? MUTED_STREAM;
    const stream = flag === true ? firstAudio : ctx.params.stream === MUTED_STREAM && file(ctx).audio.length === 0 ? MUTED_STREAM : track(ctx, 'audio', 'stream');
    return serve(ctx, mediaFiles.mp4(quality, stream));
  });
  router.get('/:uuid/:quality/:name', withCookie, readyFile, (ctx) => {
    const quality = rendition(ctx);
    const name = ctx.params.name!;
    if (name !== 'video.m3u8' && !SEGMENT.test(name)) throw new NotFoundError('Media not found');
    return serve(ctx, `${quality}/${name}`, { cache: name.endsWith('.ts') ? 'private, max-age=31536000, immutable' : 'private, no-cache' });
  });
  return router;
}
