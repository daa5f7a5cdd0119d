import type { Context } from 'koa';
import { NotFoundError } from '../errors.js';
import type { Storage, StoredObject } from '../storage/storage.js';
import { parseByteRange } from './byteRange.js';
import { StoredObjectCache, type StoredObjectCacheOptions } from './storedObjectCache.js';

export interface SendStoredOptions {
  /** application/octet-stream without it. */
  contentType?: string;
  /** No Cache-Control header without it. */
  cacheControl?: string;
  /** Offers the file as an attachment under this name. */
  download?: string;
  /** Once per response, whether it finished or the client went away, with the bytes sent for it (traffic metering). */
  onSent?: (bytes: number) => void;
}

export const DEFAULT_STORED_OBJECT_CACHE: StoredObjectCacheOptions = { maxBytes: 128 * 1024 * 1024, maxObjectBytes: 8 * 1024 * 1024 };

let cache = new StoredObjectCache(DEFAULT_STORED_OBJECT_CACHE);

/** Sizes the process's cache of small stored objects (serverConf.json `mediaCache`); the boot calls it once. */
export function configureStoredObjectCache(options: StoredObjectCacheOptions): StoredObjectCache {
  cache = new StoredObjectCache(options);
  return cache;
}

/**
 * RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison), else If-Modified-Since. A request's
 * `Cache-Control: no-cache` (which fetch() adds to conditional requests) does not change an origin server's answer.
 */
function notModified(ctx: Context, found: StoredObject): boolean {
  const match = ctx.get('If-None-Match');
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  if (match) return match.trim() === '*' || match.split(',').some((tag) => weak(tag) === weak(found.etag));
  const since = Date.parse(ctx.get('If-Modified-Since'));
  return !Number.isNaN(since) && Math.floor(found.modifiedAt.getTime() / 1000) * 1000 <= since;
}

/**
 * Sends a stored object, on local disk or S3 alike: HEAD, one byte range (206, or 416 with `Content-Range: bytes
 * * /size`), ETag, Last-Modified and conditional GET (304). Small objects are answered from the process's cache of
 * stored objects (one buffer, no read); larger ones are streamed from the store through this process, so the route's
 * own checks (the media cookie) guard every byte. A missing object is a 404 in the route's API error format.
 */
export async function sendStored(ctx: Context, storage: Storage, key: string, options: SendStoredOptions = {}): Promise<void> {
  const found = await storage.stat(key);
  if (!found) throw new NotFoundError('File not found');
  const { contentType, cacheControl, download, onSent } = options;

  ctx.status = 200;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('ETag', found.etag);
  ctx.set('Last-Modified', found.modifiedAt.toUTCString());
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (cacheControl) ctx.set('Cache-Control', cacheControl);
  if (notModified(ctx, found)) {
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
  }
  const length = range ? range.end - range.start + 1 : found.size;
  if (ctx.method === 'HEAD') {
    ctx.length = length;
    return;
  }
  const whole = await cache.bytes(storage, key, found);
  if (whole) {
    const body = range ? whole.subarray(range.start, range.end + 1) : whole;
    if (onSent) ctx.res.once('close', () => onSent(ctx.res.writableFinished ? body.length : 0));
    ctx.body = body;
    return;
  }
  const body = await storage.read(key, range);
  let sent = 0;
  body.on('data', (chunk: Buffer) => (sent += chunk.length));
  if (onSent) ctx.res.once('close', () => onSent(sent));
  // A client gone mid-way must not leave the file or the bucket's response open.
  ctx.res.once('close', () => body.destroy());
  ctx.body = body;
  ctx.length = length;
}
