import { createHash } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import type { Logger, Model, NumericIds, Storage } from '@mediahost/core';
import type { LibraryImport } from '../libraryEvents.js';
import type { FileDoc } from '../models/file.js';
import type { Claims } from '../models/claim.js';
import type { Folders } from './folders.js';
import type { Ingest } from './ingest.js';

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/** The id of the video a source becomes: a UUID (v8 layout) derived from the source, so that inserting the video is the claim. */
export function videoIdOf(source: string): string {
  const hex = createHash('sha256').update(`library.import\n${source}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Media other plugins hand over become videos of an owner's library, transcoded like any upload. Taking the same
 * source twice (a retried job, two processes) gives one video: its id comes from the source and its insert is unique.
 */
export class LibraryImports {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly folders: Folders,
    private readonly claims: Claims,
    private readonly counters: NumericIds,
    private readonly ingest: Ingest,
    private readonly storage: Storage,
    private readonly logger: Logger,
  ) {}

  async take(request: LibraryImport): Promise<FileDoc> {
    const id = videoIdOf(request.source);
    const existing = await this.files.findById(id).lean<FileDoc>();
    if (existing) return existing;
    const folderId = request.folder ? await this.folderFor(request.owner, request.folder) : null;
    // Ingest may remove what it is given: it gets a copy of ours, not the deliverer's file.
    await mkdir(this.storage.resolve('incoming'), { recursive: true });
    const copy = this.storage.resolve(`incoming/import-${id}`);
    await copyFile(request.path, copy);
    try {
      const file = await this.ingest.ingest({ owner: request.owner, path: copy, name: request.title.slice(0, 255) || 'untitled', folderId, id, origin: { ...request.details, source: request.source } });
      this.logger.info('handed-over media became a video', { source: request.source, fileId: file._id, owner: request.owner });
      return file;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      return (await this.files.findById(id).lean<FileDoc>())!;
    } finally {
      await rm(copy, { force: true });
    }
  }

  /**
   * The folder for `key`, made once: its number is claimed under the key first (an insert, atomic on FerretDB too), so
   * that two deliveries at once cannot make two folders, and a run that died between claim and folder makes it next time.
   */
  private async folderFor(owner: string, folder: { key: string; name: string }): Promise<number> {
    // publish's claims name the file that holds them; here the holder is the folder's number.
    const claimKey = `import-folder:${owner}:${folder.key}`;
    let folderId = Number((await this.claims.holder(claimKey)) ?? NaN);
    if (!Number.isSafeInteger(folderId)) {
      const candidate = await this.counters.next('folder');
      folderId = (await this.claims.claim(claimKey, String(candidate))) ? candidate : Number(await this.claims.holder(claimKey));
    }
    await this.folders.createWithId(owner, folderId, folder.name.slice(0, 255));
    return folderId;
  }
}
