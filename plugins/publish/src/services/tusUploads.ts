import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server, type Upload } from '@tus/server';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import { BadRequestError, ConflictError, NotFoundError, type Logger, type Storage } from '@mediahost/core';
import { BucketUploadStore } from './bucketUploadStore.js';
import { DISK_FULL_RESPONSE, isDiskFull } from './cleanFileStore.js';
import { OwnedFileStore } from './ownedFileStore.js';
import { tusErrorAsJson, type ErrorBody } from './tusErrorAsJson.js';
import { OWNER_KEY, SESSION_KEY, withoutOwner, type UploadStore } from './uploadStore.js';
import { assertRoomToStore, assertWithinQuota, type QuotaLimits } from './uploadQuota.js';

/** What our route decided about the request tus is handling (tus hooks see a rebuilt request, not ours). */
export interface TusAccess {
  /** Undefined for OPTIONS, which creates nothing. */
  owner?: string;
  /** The upload the route checked belongs to the owner: tus would otherwise read the id from the URL, query string included. */
  uploadId?: string;
  /** The id a creation was admitted under. */
  newId?: string;
}
const currentAccess = new AsyncLocalStorage<TusAccess>();

/** A creation admitted within the owner's quota: its bytes stay reserved until `release`, once tus has written the upload or failed. */
export interface Admission {
  id: string;
  release(): void;
}

export interface UploadSession {
  id: string;
  /** Numbered at creation; null for uploads made before sessions were numbered. */
  sessionId: number | null;
  expiresAt: Date | null;
  filename: string;
  size: number | null;
  offset: number;
  metadata: Record<string, string>;
  createdAt: string | null;
}

/** The plugin storage's folder `uploads`: on this machine's disk, or in the bucket where every web service sees it. */
function uploadStoreOf(storage: Storage, expiryMs: number): UploadStore {
  const bucket = storage.bucket();
  if (bucket) return new BucketUploadStore(bucket, expiryMs);
  return new OwnedFileStore({ directory: storage.resolve('uploads'), expirationPeriodInMilliseconds: expiryMs });
}

/**
 * tus resumable uploads in the plugin's storage. The store survives restarts, so an upload resumes from its last
 * offset; on S3 it resumes through any web-service process.
 */
export class TusUploads {
  private readonly server: Server;
  private readonly store: UploadStore;
  /** Declared bytes of admitted creations not yet on disk, by upload id. */
  private readonly reserved = new Map<string, { owner: string; bytes: number }>();
  /** Admissions run one at a time, so simultaneous creations each see the others' reservations. */
  private admitting: Promise<unknown> = Promise.resolve();

  /** `path` is the endpoint's full URL path; uploads made through different endpoints share one folder. */
  constructor(
    private readonly storage: Storage,
    path: string,
    maxUploadBytes: number,
    /** The owner's quota, once they may upload at all (else it throws the refusal): services/accountLimits.ts. */
    private readonly quotaOf: (owner: string) => Promise<QuotaLimits>,
    private readonly expiryMs: number,
    private readonly storedBytes: (owner: string) => Promise<number>,
    logger: Logger,
    nextSessionId: () => Promise<number> = async () => 0,
  ) {
    this.store = uploadStoreOf(storage, expiryMs);
    this.server = new Server({
      path,
      datastore: this.store,
      maxSize: maxUploadBytes,
      namingFunction: () => currentAccess.getStore()?.newId ?? randomBytes(16).toString('hex'),
      getFileIdFromRequest: () => currentAccess.getStore()?.uploadId,
      onUploadCreate: async (_req: Request, upload: Upload) => {
        const { owner, newId } = currentAccess.getStore() ?? {};
        if (!owner) throw { status_code: 401, body: 'Authentication required' };
        if (!newId || upload.id !== newId) throw { status_code: 500, body: 'Upload was not admitted' };
        const filename = upload.metadata?.filename;
        if (!filename || filename.length > 255) throw { status_code: 400, body: 'Upload-Metadata must carry a filename (at most 255 characters)' };
        const { [OWNER_KEY]: _ignored, [SESSION_KEY]: _ignoredToo, ...metadata } = upload.metadata ?? {};
        return { metadata: { ...metadata, [OWNER_KEY]: owner, [SESSION_KEY]: String(await nextSessionId()) } };
      },
      // tus would answer its own 500s with the error's message (paths, system calls): it is logged instead.
      onResponseError: (_req: Request, error: Error | { status_code: number; body: string }) => {
        if ('status_code' in error) return undefined;
        if (isDiskFull(error)) return DISK_FULL_RESPONSE;
        logger.error('upload request failed', { error });
        return { status_code: 500, body: 'Something went wrong with that request\n' };
      },
    });
  }

  /**
   * Lets tus answer a request as the route decided: on behalf of `owner`, about `uploadId` only, creating under `newId`
   * only; its refusals in the API's error shape.
   */
  handle(req: IncomingMessage, res: ServerResponse, access: TusAccess, errorBody: ErrorBody): Promise<void> {
    return currentAccess.run(access, async () => {
      const response = await this.server.handleWeb(new NodeRequest({ req, res }));
      await sendNodeResponse(res, await tusErrorAsJson(response, errorBody));
    });
  }

  /**
   * Admits a creation (POST) within the owner's quotas on declared and stored bytes, or throws a 413 PayloadTooLargeError.
   * A length deferred to later PATCHes would escape the quota, so creation must declare it.
   */
  admitCreation(req: IncomingMessage, owner: string): Promise<Admission> {
    const declared = Number(req.headers['upload-length']);
    if (req.headers['upload-length'] === undefined || !Number.isSafeInteger(declared) || declared < 0) {
      return Promise.reject(new BadRequestError('Upload-Length is required: give the size of the file when creating the upload'));
    }
    const admission = this.admitting.then(async () => {
      assertWithinQuota(await this.quotaOf(owner), declared, await this.pendingBytes(owner), await this.storedBytes(owner));
      const id = randomBytes(16).toString('hex');
      this.reserved.set(id, { owner, bytes: declared });
      return { id, release: () => this.reserved.delete(id) };
    });
    this.admitting = admission.catch(() => undefined);
    return admission;
  }

  /** Refuses (413) bytes received outside tus that would take the owner past their storage quota. */
  async assertRoomToStore(owner: string, bytes: number): Promise<void> {
    assertRoomToStore(await this.quotaOf(owner), bytes, await this.pendingBytes(owner), await this.storedBytes(owner));
  }

  /** Declared bytes of the owner's uploads not yet turned into files, on disk and admitted. */
  private async pendingBytes(owner: string): Promise<number> {
    let total = 0;
    const onDisk = new Set<string>();
    for (const upload of await this.owned(owner)) {
      onDisk.add(upload.id);
      total += upload.size ?? 0;
    }
    for (const [id, reservation] of this.reserved) if (reservation.owner === owner && !onDisk.has(id)) total += reservation.bytes;
    return total;
  }

  private async owned(owner: string): Promise<Upload[]> {
    const uploads: Upload[] = [];
    for (const id of await this.store.uploadIds()) {
      const upload = await this.get(id, owner).catch(() => undefined);
      if (upload) uploads.push(upload);
    }
    return uploads;
  }

  /** The upload, if it exists and belongs to the owner; another owner's upload is as unknown as a missing one. */
  async get(id: string, owner: string): Promise<Upload> {
    if (!/^[\w-]{1,128}$/.test(id)) throw new NotFoundError(`Upload ${id} not found`);
    let upload: Upload;
    try {
      upload = await this.store.ownedUpload(id);
    } catch {
      throw new NotFoundError(`Upload ${id} not found`);
    }
    if (upload.metadata?.[OWNER_KEY] !== owner) throw new NotFoundError(`Upload ${id} not found`);
    return upload;
  }

  async sessions(owner: string): Promise<UploadSession[]> {
    return (await this.owned(owner)).map((upload) => toSession(upload, this.expiryMs));
  }

  /**
   * Runs `use` with a local file holding a complete upload's bytes, for ingestion (which may move it away): the stored
   * file itself on local disk, a scratch copy fetched from the bucket on S3. Refuses an unfinished upload.
   */
  async withCompleted<T>(id: string, owner: string, use: (path: string, upload: Upload) => Promise<T>): Promise<T> {
    const upload = await this.get(id, owner);
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new ConflictError(`Upload ${id} is not complete: ${upload.offset} of ${upload.size ?? 'unknown'} bytes received`);
    }
    return this.storage.useLocalCopy(`uploads/${id}`, (path) => use(path, upload));
  }

  /** Forgets an upload whose bytes were taken. */
  forget(id: string): Promise<void> {
    return this.store.forget(id);
  }

  async cleanUpExpired(): Promise<number> {
    return (await this.server.cleanUpExpiredUploads()) + (await this.store.removeLeftovers(this.expiryMs));
  }
}

export function toSession(upload: Upload, expiryMs: number): UploadSession {
  const metadata = withoutOwner(upload.metadata ?? {}) as Record<string, string>;
  const sessionId = Number(upload.metadata?.[SESSION_KEY]);
  return {
    id: upload.id,
    sessionId: Number.isSafeInteger(sessionId) && sessionId > 0 ? sessionId : null,
    expiresAt: upload.creation_date ? new Date(new Date(upload.creation_date).getTime() + expiryMs) : null,
    filename: metadata.filename ?? '',
    size: upload.size ?? null,
    offset: upload.offset,
    metadata,
    createdAt: upload.creation_date ?? null,
  };
}
