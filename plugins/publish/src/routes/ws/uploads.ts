import type { Context } from 'koa';
import { rm, stat } from 'node:fs/promises';
import { describedRouter, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { receiveMultipartFile } from '../../services/directUpload.js';
import type { FileService } from '../../services/files.js';
import { finalizeUpload } from '../../services/finalizeUpload.js';
import type { Ingest } from '../../services/ingest.js';
import type { AccountLimits } from '../../services/accountLimits.js';
import type { TusUploads, UploadSession } from '../../services/tusUploads.js';
import type { UsageMeter } from '../../services/usageMeter.js';
import { handOverToTus } from '../tusHandOver.js';
import { name, parentFolderId } from './videocmsInput.js';
import { linkSchema, uploadSessionSchema } from './videocmsSchemas.js';
import { createdLinkJson } from './videocmsShapes.js';

/** Our tus ids are 128 random bits in hex: written as a UUID, they fill VideoCMS's UploadSession.UUID. */
const asUuid = (hex: string) => (/^[0-9a-f]{32}$/.test(hex) ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex);

/** An upload session as VideoCMS lists it. PartCount is 0: we take no tus concatenation, so no session has parts. */
function sessionJson(session: UploadSession) {
  const status = session.offset === session.size ? 'uploaded' : session.offset > 0 ? 'uploading' : 'created';
  return {
    ID: session.sessionId,
    CreatedAt: session.createdAt,
    Name: session.filename,
    UUID: asUuid(session.id),
    ClientUploadUUID: session.metadata.client_upload_uuid ?? null,
    TusID: session.id,
    Size: session.size,
    Offset: session.offset,
    PartCount: 0,
    Status: status,
    ExpiresAt: session.expiresAt?.toISOString() ?? null,
  };
}

interface UploadRouteDeps {
  tus: TusUploads;
  ingest: Ingest;
  files: FileService;
  auth: PluginAuth;
  /** Where VideoCMS's multipart uploads are received, and their largest size. */
  direct: { directory: string; maxBytes: number };
  usage: UsageMeter;
  limits: AccountLimits;
  api: ApiDescription;
}

/** tus at api/uploads (OPTIONS open: the group's scope lets preflights through), plus sessions and finalize. */
const uploadFields = z.object({ name, parentfolderid: parentFolderId });
/** The multipart upload as documented: the fields and the file part. */
const multipartUpload = uploadFields.extend({ file: z.string().meta({ format: 'binary' }) });

export function uploadRoutes({ tus, ingest, files, auth, direct, usage, limits, api }: UploadRouteDeps): Router {
  const { router, route } = describedRouter('', api);
  const created = { description: 'The new file', schema: linkSchema };
  const owner = (ctx: Context) => auth.principal(ctx)!.subject;

  route({ method: 'get', path: '/api/uploads/sessions', summary: "The caller's tus uploads not finalized yet", responses: { 200: { description: 'The sessions', schema: z.array(uploadSessionSchema) } } }, async (ctx) => {
    ctx.body = (await tus.sessions(owner(ctx))).map(sessionJson);
  });

  route({ method: 'post', path: '/api/uploads/{id}/finalize', summary: 'Makes a file of a completed tus upload (again: the same file)', responses: { 200: created }, errors: [404, 409] }, async (ctx) => {
    const { file, upload } = await finalizeUpload(tus, ingest, ctx.params.id!, owner(ctx), (u) => files.ownFolderOrRoot(owner(ctx), u.metadata?.parent_folder_id ?? null));
    // counted when the bytes are taken, not when a finalize is repeated
    if (upload) usage.record('upload', owner(ctx), file.size, { fileId: file._id });
    ctx.body = createdLinkJson(file);
  });

  // POST /file is VideoCMS's older upload route (broken there by a validation bug); both take multipart file, Name, ParentFolderID.
  const receiveUpload = async (ctx: Context) => {
    // Refused before a byte is read; the quota is checked once the size is known.
    await limits.assertMayUpload(owner(ctx));
    const received = await receiveMultipartFile(ctx.req, direct.directory, direct.maxBytes);
    try {
      await tus.assertRoomToStore(owner(ctx), (await stat(received.path)).size);
      const input = parseInput(uploadFields, received.fields);
      const folderId = await files.ownFolderOrRoot(owner(ctx), input.parentfolderid);
      const file = await ingest.ingest({ owner: owner(ctx), path: received.path, name: input.name, folderId });
      usage.record('upload', owner(ctx), file.size, { fileId: file._id });
      ctx.body = createdLinkJson(file);
    } finally {
      await rm(received.path, { force: true });
    }
  };
  for (const path of ['/api/file/upload', '/api/file']) {
    route({ method: 'post', path, summary: 'Uploads a file in one multipart/form-data request', body: multipartUpload, jsonBody: false, bodyContentTypes: ['multipart/form-data'], responses: { 200: created }, errors: [404, 503] }, receiveUpload);
  }

  router.all('/api/uploads', (ctx) => handOverToTus(ctx, tus, ctx.method === 'OPTIONS' ? undefined : owner(ctx), undefined));
  router.all('/api/uploads/:id', async (ctx) => {
    if (ctx.method === 'OPTIONS') return handOverToTus(ctx, tus, undefined, undefined);
    const upload = await tus.get(ctx.params.id!, owner(ctx));
    await handOverToTus(ctx, tus, owner(ctx), upload.id);
  });
  return router;
}
