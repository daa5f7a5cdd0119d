import { Router } from '@mediahost/core';
import type { Intake } from '../../services/intake.js';

/** The upload URLs handed out by POST /api/4/files/upload: a presigned PUT, like the S3 URLs WeVideo returns. */
export function uploadRoutes({ intake }: { intake: Intake }): Router {
  return new Router().put('/uploads/:ticketId', async (ctx) => {
    const param = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);
    await intake.receiveUpload(ctx.params.ticketId!, param('Expires'), param('Signature'), ctx.req);
    ctx.status = 200;
    ctx.body = '';
  });
}
