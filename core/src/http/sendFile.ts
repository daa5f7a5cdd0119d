import path from 'node:path';
import type { Context } from 'koa';
import send from 'send';
import { NotFoundError } from '../errors.js';

export interface SendFileOptions {
  /** Otherwise guessed from the file's extension. */
  contentType?: string;
  /** No Cache-Control header without it. */
  cacheControl?: string;
  /** Offers the file as an attachment under this name. */
  download?: string;
  /** Once per response, whether it finished or the client went away, with the bytes read for it (traffic metering). */
  onSent?: (bytes: number) => void;
}

/**
 * Streams a file with HEAD, single byte ranges (206, or 416 with `Content-Range: bytes * /size`), ETag, Last-Modified and
 * conditional GET (304), through pillarjs send. `absolutePath` must come from Storage.resolve, which keeps it in the
 * plugin's folder; a missing file is a 404 in the route's API error format.
 */
export function sendFile(ctx: Context, absolutePath: string, { contentType, cacheControl, download, onSent }: SendFileOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    // send decodes its path as a URL path: the file name is encoded so that any name round-trips
    const stream = send(ctx.req, `/${encodeURIComponent(path.basename(absolutePath))}`, {
      root: path.dirname(absolutePath),
      dotfiles: 'allow',
      index: false,
      etag: true,
      lastModified: true,
      cacheControl: false,
    });
    stream.on('headers', (res) => {
      // From here send writes the response itself; before it, an error is still answered by the core's error handler.
      ctx.respond = false;
      res.statusCode = 200; // Koa starts at 404 and send sets only 206/304/errors, after this event
      if (contentType) res.setHeader('Content-Type', contentType);
      if (cacheControl) res.setHeader('Cache-Control', cacheControl);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (download) res.setHeader('Content-Disposition', `attachment; filename="${download.replace(/[^\w.-]/g, '_')}"`);
    });
    stream.on('error', (error: { status?: number; headers?: Record<string, string> }) => {
      if (ctx.respond === false && error.status) {
        // after the headers event: an unsatisfiable range (416) or a failed precondition (412), answered bare
        const res = ctx.res;
        res.statusCode = error.status;
        for (const name of ['Content-Type', 'Content-Disposition', 'Cache-Control']) res.removeHeader(name);
        for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
        res.setHeader('Content-Length', 0);
        res.end();
        resolve();
      } else if (error.status === 404 || error.status === 403) reject(new NotFoundError('File not found'));
      else reject(error as Error);
    });
    let sent = 0;
    stream.on('stream', (file: NodeJS.ReadableStream) => file.on('data', (chunk: Buffer) => (sent += chunk.length)));
    if (onSent) ctx.res.once('close', () => onSent(sent));
    stream.on('end', () => resolve());
    stream.on('directory', () => reject(new NotFoundError('File not found')));
    stream.pipe(ctx.res);
    ctx.res.once('finish', () => resolve());
    ctx.res.once('close', () => resolve());
  });
}
