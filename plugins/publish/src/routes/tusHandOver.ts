import type { Context } from 'koa';
import { HttpError, openveoErrorFormat } from '@mediahost/core';
import type { TusUploads } from '../services/tusUploads.js';

/**
 * Hands a request to tus once the route has decided what it may touch: `uploadId` is an upload already checked to be the
 * owner's (tus sees no other), and a creation is first admitted within the owner's quota (413 in the API's error shape).
 * tus's own refusals are answered in the error shape of the route's API too.
 */
export async function handOverToTus(ctx: Context, tus: TusUploads, owner: string | undefined, uploadId: string | undefined): Promise<void> {
  const admission = ctx.method === 'POST' && owner ? await tus.admitCreation(ctx.req, owner) : undefined;
  ctx.respond = false;
  try {
    const format = ctx.state.errorFormat ?? openveoErrorFormat;
    await tus.handle(ctx.req, ctx.res, { owner, uploadId, newId: admission?.id }, (status, code, message) => format(new HttpError(status, code, message), ctx));
  } finally {
    admission?.release();
  }
}
