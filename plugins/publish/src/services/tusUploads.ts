import { AsyncLocalStorage } from 'node:async_hooks';
import { readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Server, type Upload } from '@tus/server';
import { ConflictError, NotFoundError, type Logger, type Storage } from '@mediahost/core';
import { CleanFileStore, DISK_FULL_RESPONSE, isDiskFull } from './cleanFileStore.js';

const OWNER_KEY = 'mh_owner';
/** The owner of the request tus is handling, set by our route (tus hooks see a rebuilt request, not ours). */
const currentOwner = new AsyncLocalStorage<string>();

export interface UploadSession {
  id: string;
  filename: string;
  size: number | null;
  offset: number;
  metadata: Record<string, string>;
  createdAt: string | null;
}

/** tus resumable uploads in the plugin's storage: a FileStore survives restarts, so an upload resumes from its last offset. */
export class TusUploads {
  private readonly server: Server;
  private readonly store: CleanFileStore;
  readonly directory: string;

  /** `path` is the endpoint's full URL path; uploads made through different endpoints share one folder. */
  constructor(storage: Storage, path: string, maxSize: number, private readonly expiryMs: number, logger: Logger) {
    this.directory = storage.resolve('uploads');
    this.store = new CleanFileStore({ directory: this.directory, expirationPeriodInMilliseconds: expiryMs });
    this.server = new Server({
      path,
      datastore: this.store,
      maxSize,
      onUploadCreate: async (_req: Request, upload: Upload) => {
        const owner = currentOwner.getStore();
        if (!owner) throw { status_code: 401, body: 'Authentication required' };
        const filename = upload.metadata?.filename;
        if (!filename || filename.length > 255) throw { status_code: 400, body: 'Upload-Metadata must carry a filename (at most 255 characters)' };
        const { [OWNER_KEY]: _ignored, ...metadata } = upload.metadata ?? {};
        return { metadata: { ...metadata, [OWNER_KEY]: owner } };
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

  /** Lets tus answer a request, on behalf of `owner` (undefined for OPTIONS, which creates nothing). */
  handle(req: IncomingMessage, res: ServerResponse, owner: string | undefined): Promise<void> {
    return owner ? currentOwner.run(owner, () => this.server.handle(req, res)) : this.server.handle(req, res);
  }

  /** The upload, if it exists and belongs to the owner; another owner's upload is as unknown as a missing one. */
  async get(id: string, owner: string): Promise<Upload> {
    if (!/^[\w-]{1,128}$/.test(id)) throw new NotFoundError(`Upload ${id} not found`);
    let upload: Upload;
    try {
      upload = await this.store.getUpload(id);
    } catch {
      throw new NotFoundError(`Upload ${id} not found`);
    }
    if (upload.metadata?.[OWNER_KEY] !== owner) throw new NotFoundError(`Upload ${id} not found`);
    return upload;
  }

  async sessions(owner: string): Promise<UploadSession[]> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    const sessions: UploadSession[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const upload = await this.get(name.slice(0, -'.json'.length), owner).catch(() => undefined);
      if (upload) sessions.push(toSession(upload));
    }
    return sessions;
  }

  /** The path of a complete upload's bytes, for ingestion; refuses an unfinished one. */
  async completed(id: string, owner: string): Promise<{ path: string; upload: Upload }> {
    const upload = await this.get(id, owner);
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new ConflictError(`Upload ${id} is not complete: ${upload.offset} of ${upload.size ?? 'unknown'} bytes received`);
    }
    return { path: path.join(this.directory, id), upload };
  }

  /** Forgets an upload whose bytes were moved away. */
  async forget(id: string): Promise<void> {
    await rm(path.join(this.directory, `${id}.json`), { force: true });
    await rm(path.join(this.directory, id), { force: true });
  }

  async cleanUpExpired(): Promise<number> {
    return (await this.server.cleanUpExpiredUploads()) + (await this.store.removeLeftovers(this.expiryMs));
  }
}

export function toSession(upload: Upload): UploadSession {
  const { [OWNER_KEY]: _owner, ...metadata } = (upload.metadata ?? {}) as Record<string, string>;
  return {
    id: upload.id,
    filename: metadata.filename ?? '',
    size: upload.size ?? null,
    offset: upload.offset,
    metadata,
    createdAt: upload.creation_date ?? null,
  };
}
