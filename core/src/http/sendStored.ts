import type { Context } from 'koa';
import { NotFoundError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { parseByteRange } from './byteRange.js';
import { sendFile, type SendFileOptions } from './sendFile.js';

/**
 * Sends a stored object with the same HTTP as sendFile: HEAD, one byte range (206, or 416 with `Content-Range: bytes
 * * /size`), ETag, Last-Modified and If-None-Match (304). On local storage it is sendFile itself; on S3 the bytes are
 * streamed from the bucket through this process, so the route's own checks (the media cookie) guard every byte.
 */
export async function sendStored(ctx: Context, storage: Storage, key: string, options: SendFileOptions = {}): Promise<void> {
  if (storage.kind === 'local') return sendFile(ctx, storage.resolve(key), options);
  const found = await storage.stat(key);
  if (!found) throw new NotFoundError('File not found');
  const { contentType, cacheControl, download, onSent } = options;

  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('ETag', found.etag);
  ctx.set('Last-Modified', found.modifiedAt.toUTCString());
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (cacheControl) ctx.set('Cache-Control', cacheControl);
  const match = ctx.get('If-None-Match');
  if (match && match.split(',').some((tag) => tag.trim() === found.etag || tag.trim() === '*')) {
    ctx.status = 304;
    return;
  }
  const range = ctx.get('If-Range') && ctx.get('If-Range') !== found.etag ? undefined : parseByteRange(ctx.get('Range') || undefined, found.size);
  if (range === 'unsatisfiable') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${found.size}`);
    // An empty string, not null: Koa turns a null body into a 204.
    ctx.body = '';
    return;
  }
  if (download) ctx.set('Content-Disposition', `attachment; filename="${download.replace(/[^\w.-]/g, '_')}"`);
  ctx.type = contentType ?? 'application/octet-stream';
  if (range) {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${found.size}`);
  } else ctx.status = 200;
  const length = range ? range.end - range.start + 1 : found.size;
  if (ctx.method === 'HEAD') {
    ctx.length = length;
    return;
  }
  const body = await storage.read(key, range);
  let sent = 0;
  body.on('data', (chunk: Buffer) => (sent += chunk.length));
  if (onSent) ctx.res.once('close', () => onSent(sent));
  // A client gone mid-way must not leave the bucket's response open.
  ctx.res.once('close', () => body.destroy());
  ctx.body = body;
  ctx.length = length;
}
