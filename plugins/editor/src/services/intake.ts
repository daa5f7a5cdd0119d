import { createHmac, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { assertWebUrl, BadRequestError, MEDIA_NOT_FOUND, ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, type BackOfficeUser, type JobHandle, type MediaRequester, type Model, type PluginUrls, type Principal, type Storage, type StoredMediaRegistry } from '@mediahost/core';
import type { Claims } from '../models/claims.js';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { StoredRequester, TicketDoc } from '../models/ticket.js';
import type { Folders } from './folders.js';
import { mediaLayout } from './mediaLayout.js';
import { signaturesMatch } from '../auth/wevSignature.js';
import { applicationRequester, userRequester } from './storedRequester.js';

export interface ImportItem {
  url: string;
  title?: string;
  proxyUrl?: string;
}

const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '_');
/** WeVideo's ticket ids: the day, then a UUID. */
const ticketId = () => `${today()}_${randomUUID()}`;

/** Imports and uploads: each file gets a ticket, then an ingest job turns it into a media file. */
export class Intake {
  constructor(
    private readonly tickets: Model<TicketDoc>,
    private readonly claims: Claims,
    private readonly folders: Folders,
    private readonly ingest: JobHandle<{ ticketId: string }>,
    private readonly storage: Storage,
    private readonly urlKey: string,
    private readonly urls: PluginUrls,
    private readonly limits: { maxFileBytes: number; uploadTicketMs: number },
    /** Media other plugins keep: a URL naming one is opened from storage, never fetched. */
    private readonly storedMedia: StoredMediaRegistry,
  ) {}

  /** The folder a file goes to: the one named, if it is in the owner's instance, else the owner's root folder. */
  private async folderFor(owner: EditorUserDoc, folderId?: number): Promise<number> {
    if (folderId === undefined) return owner.rootFolderId;
    const folder = await this.folders.get(folderId);
    if (folder.instanceId !== owner.instanceId) throw new NotFoundError(`Folder ${folderId} not found`);
    return folder._id;
  }

  async importUrls(principal: Principal, owner: EditorUserDoc, items: ImportItem[], folderId?: number): Promise<string[]> {
    const requester = applicationRequester(principal);
    const stored: boolean[] = [];
    for (const item of items) {
      stored.push(await this.checkUrl(item.url, requester));
      if (item.proxyUrl && this.storedMedia.recognizes(item.proxyUrl)) throw new BadRequestError('A proxyUrl cannot name a stored media: import it by url, its proxy is made from it');
      if (item.proxyUrl) assertWebUrl(item.proxyUrl);
    }
    const folder = await this.folderFor(owner, folderId);
    const ids: string[] = [];
    for (const [index, item] of items.entries()) ids.push(await this.register(principal.applicationId, owner, folder, item, stored[index] ? requester : undefined));
    return ids;
  }

  /**
   * The back office's "Open in editor": a media another plugin keeps, imported for a signed-in user into `owner`'s root
   * folder (the user's own editor space), as the user may see it; anything else is as unknown as a missing media.
   */
  async importStored(user: BackOfficeUser, spaceId: string, owner: EditorUserDoc, url: string): Promise<string> {
    if (!this.storedMedia.recognizes(url)) throw new NotFoundError(MEDIA_NOT_FOUND);
    await this.checkUrl(url, { kind: 'user', user });
    return this.register(spaceId, owner, owner.rootFolderId, { url }, userRequester(user));
  }

  /** Whether the URL names a stored media, which the requester must then be allowed to read (404 otherwise); else it must be a web URL. */
  private async checkUrl(url: string, requester: MediaRequester): Promise<boolean> {
    if (!this.storedMedia.recognizes(url)) {
      assertWebUrl(url);
      return false;
    }
    await this.storedMedia.resolve(url, requester);
    return true;
  }

  private async register(applicationId: string, owner: EditorUserDoc, folderId: number, item: ImportItem, storedFor?: StoredRequester): Promise<string> {
    const _id = ticketId();
    await this.tickets.create({ _id, applicationId, instanceId: owner.instanceId, userId: owner._id, folderId, origin: 'import', url: item.url, storedFor, proxyUrl: item.proxyUrl, title: item.title, status: 'TICKET_REGISTERED' });
    await this.enqueue(_id);
    return _id;
  }

  async createUploads(principal: Principal, owner: EditorUserDoc, files: { size: number; title?: string }[], folderId?: number) {
    const folder = await this.folderFor(owner, folderId);
    for (const file of files) if (file.size > this.limits.maxFileBytes) throw new PayloadTooLargeError(`A file may not be larger than ${this.limits.maxFileBytes} bytes`);
    const expires = Date.now() + this.limits.uploadTicketMs;
    const tickets = [];
    for (const file of files) {
      const _id = ticketId();
      await this.tickets.create({ _id, applicationId: principal.applicationId, instanceId: owner.instanceId, userId: owner._id, folderId: folder, origin: 'upload', title: file.title, size: file.size, expiresAt: new Date(expires), status: 'TICKET_REGISTERED' });
      tickets.push({ id: _id, url: `${this.urls.absolute.public(`/uploads/${_id}`)}?Expires=${expires}&Signature=${encodeURIComponent(this.urlSignature(_id, expires))}`, size: file.size });
    }
    return { expires, tickets };
  }

  private urlSignature(id: string, expires: number): string {
    return createHmac('sha256', this.urlKey).update(`${id}\n${expires}`).digest('base64url');
  }

  /** The PUT of an upload URL: checked like a presigned URL, streamed to disk, at most the size announced. */
  async receiveUpload(id: string, expires: string | undefined, signature: string | undefined, body: Readable): Promise<void> {
    const expiresAt = Number(expires);
    if (!signature || !Number.isFinite(expiresAt) || !signaturesMatch(this.urlSignature(id, expiresAt), signature)) throw new ForbiddenError('Invalid upload URL signature');
    if (Date.now() > expiresAt) throw new ForbiddenError('This upload URL has expired');
    const ticket = await this.tickets.findById(id).lean<TicketDoc>();
    if (!ticket || ticket.origin !== 'upload') throw new NotFoundError('No such upload');
    if (ticket.uploaded || !(await this.claims.claim(`upload:${id}`))) throw new ConflictError('This file was already uploaded');
    const limit = ticket.size ?? this.limits.maxFileBytes;
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > limit ? new PayloadTooLargeError(`The upload is larger than the ${limit} bytes announced`) : null, chunk);
      },
    });
    try {
      // Received on this process's disk, then stored where the ingest job (on any machine) finds it.
      await this.storage.withScratch(`upload-${id}`, async (dir) => {
        const file = path.join(dir, 'upload');
        await pipeline(body, counter, createWriteStream(file));
        if (received === 0) throw new BadRequestError('The upload is empty');
        await this.storage.putFile(mediaLayout.upload(id), file);
      });
    } catch (error) {
      // the URL stays usable for a complete upload
      await this.claims.release(`upload:${id}`);
      throw error;
    }
    await this.tickets.updateOne({ _id: id }, { $set: { uploaded: true } });
    await this.enqueue(id);
  }

  private async enqueue(id: string): Promise<void> {
    const jobId = await this.ingest.enqueue({ ticketId: id });
    await this.tickets.updateOne({ _id: id }, { $set: { jobId } });
  }

  /** The tickets' states, for the application (or back-office space) that made them. */
  async status(applicationId: string, ids: string[]): Promise<Record<string, { status: string; fileId?: number; error?: string }>> {
    const result: Record<string, { status: string; fileId?: number; error?: string }> = {};
    for (const id of ids) {
      const ticket = await this.tickets.findById(id).lean<TicketDoc>();
      if (!ticket || ticket.applicationId !== applicationId) throw new NotFoundError(`Ticket ${id} not found`);
      result[id] = { status: ticket.status, ...(ticket.fileId !== undefined && ticket.status === 'COMPLETED' ? { fileId: ticket.fileId } : {}), ...(ticket.error ? { error: ticket.error } : {}) };
    }
    return result;
  }
}
