import type { Context } from 'koa';
import { PayloadTooLargeError } from '@mediahost/core';

const LIMIT = 1024 * 1024;

/**
 * The exact bytes of the request body, which the signature covers. The core's parser keeps them for the
 * POST/PUT/PATCH JSON it parses; WeVideo's Python sample also sends a JSON body with GET (and clients send
 * DELETE bodies), which are read here, and parsed when JSON so routes see them.
 */
export async function rawBodyOf(ctx: Context): Promise<Buffer> {
  const kept = (ctx.request as { rawBody?: string }).rawBody;
  if (kept !== undefined) return Buffer.from(kept, 'utf8');
  if (ctx.state.wevRawBody) return ctx.state.wevRawBody;
  const req = ctx.req;
  let body = Buffer.alloc(0);
  if (!req.readableEnded && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > LIMIT) throw new PayloadTooLargeError('Request body too large');
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks);
  }
  ctx.state.wevRawBody = body;
  if (body.length && ctx.is('json') && ctx.request.body === undefined) {
    try {
      ctx.request.body = JSON.parse(body.toString('utf8'));
    } catch {
      // not JSON after all: the route sees no body
    }
  }
  return body;
}
