import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Context } from 'koa';
import { NotFoundError } from '@mediahost/core';

/** Streams a stored file, answering a single byte range when asked (players seek with them). */
export async function sendFile(ctx: Context, file: string, type: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new NotFoundError('File not found');
  ctx.type = type;
  ctx.set('Accept-Ranges', 'bytes');
  const range = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('Range'));
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, info.size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
    if (start > end || start >= info.size) {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${info.size}`);
      ctx.body = '';
      return;
    }
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
    ctx.length = end - start + 1;
    ctx.body = createReadStream(file, { start, end });
    return;
  }
  ctx.length = info.size;
  ctx.body = createReadStream(file);
}
