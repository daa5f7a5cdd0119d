import type { Context } from 'koa';
import send from 'send';
import { NotFoundError } from '@mediahost/core';

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.vtt': 'text/vtt; charset=utf-8',
  '.mp4': 'video/mp4',
  '.mkv': 'video/x-matroska',
  '.jpg': 'image/jpeg',
};

/**
 * Streams a file below `root` with Range, ETag and conditional GET (pillarjs send). `relative` is built by the
 * routes from ids the file record knows, and send refuses anything leaving root all the same.
 */
export function sendMedia(
  ctx: Context,
  root: string,
  relative: string,
  { cache = 'private, max-age=3600', download, onSent }: { cache?: string; download?: string; onSent?: (bytes: number) => void } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = send(ctx.req, relative, { root, dotfiles: 'deny', index: false, etag: true, lastModified: true, cacheControl: false });
    stream.on('headers', (res) => {
      // From here send writes the response itself; before it, an error is still answered as JSON by the core.
      ctx.respond = false;
      res.statusCode = 200; // Koa starts at 404 and send sets only 206/304/errors, after this event
      const ext = relative.slice(relative.lastIndexOf('.'));
      if (TYPES[ext]) res.setHeader('Content-Type', TYPES[ext]);
      res.setHeader('Cache-Control', cache);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (download) res.setHeader('Content-Disposition', `attachment; filename="${download.replace(/[^\w.-]/g, '_')}"`);
    });
    stream.on('error', (error: { status?: number }) => {
      if (error.status === 404 || error.status === 403) reject(new NotFoundError('Media not found'));
      else reject(error);
    });
    let sent = 0;
    stream.on('stream', (file: NodeJS.ReadableStream) => file.on('data', (chunk: Buffer) => (sent += chunk.length)));
    // once per response, whether it finished or the client went away, with what was read for it
    if (onSent) ctx.res.once('close', () => onSent(sent));
    stream.on('end', () => resolve());
    stream.on('directory', () => reject(new NotFoundError('Media not found')));
    stream.pipe(ctx.res);
    ctx.res.once('finish', () => resolve());
    ctx.res.once('close', () => resolve());
  });
}
