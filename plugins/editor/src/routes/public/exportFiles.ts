import { Router, sendStored, type Storage } from '@mediahost/core';
import type { Exports } from '../../services/exports.js';
import { mediaLayout } from '../../services/mediaLayout.js';

/** The exportEnding "file" URL: the MP4, for whoever holds the signed URL (the partner's server fetching it). */
export function exportFileRoutes({ exports, storage }: { exports: Exports; storage: Storage }): Router {
  return new Router().get('/exports/:exportId/file.mp4', async (ctx) => {
    const q = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);
    const doc = await exports.forDownload(ctx.params.exportId!, q('Expires'), q('Signature'));
    await sendStored(ctx, storage, mediaLayout.source(doc.fileId!, 'source.mp4'), { contentType: 'video/mp4' });
  });
}
