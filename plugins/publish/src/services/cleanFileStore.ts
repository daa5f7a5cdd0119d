import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/server';

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);

export const isDiskFull = (error: unknown) => DISK_FULL.has((error as { code?: string } | undefined)?.code ?? '');

/** What tus answers for a full disk: the client may try again later, nothing was kept. */
export const DISK_FULL_RESPONSE = { status_code: 507, body: 'Not enough storage space on the server for this upload now; try again later\n' };

/**
 * tus's FileStore creates an upload as two files, the bytes and their JSON metadata: when the second cannot be written
 * (disk full) the first stayed behind, with an empty metadata file the expiry sweep cannot read. Nothing half-made stays.
 */
export class CleanFileStore extends FileStore {
  override async create(file: Upload): Promise<Upload> {
    try {
      return await super.create(file);
    } catch (error) {
      await this.removeFiles(file.id);
      throw isDiskFull(error) ? DISK_FULL_RESPONSE : error;
    }
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    try {
      return await super.write(readable, id, offset);
    } catch (error) {
      throw isDiskFull(error) ? DISK_FULL_RESPONSE : error;
    }
  }

  /**
   * What the expiry sweep of tus leaves: metadata it cannot parse, bytes without metadata, metadata without bytes
   * (left by a crash or an older version), once older than the expiry.
   */
  async removeLeftovers(maxAgeMs: number, now = Date.now()): Promise<number> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    const present = new Set(names);
    let removed = 0;
    for (const id of new Set(names.map((name) => name.replace(/\.json$/, '')))) {
      const info = await stat(path.join(this.directory, present.has(id) ? id : `${id}.json`)).catch(() => undefined);
      if (!info?.isFile() || now - info.mtimeMs <= maxAgeMs) continue;
      if (present.has(id) && present.has(`${id}.json`) && (await this.readable(id))) continue;
      await this.removeFiles(id);
      removed += 1;
    }
    return removed;
  }

  private async readable(id: string): Promise<boolean> {
    try {
      JSON.parse(await readFile(path.join(this.directory, `${id}.json`), 'utf8'));
      return true;
    } catch {
      return false;
    }
  }

  private async removeFiles(id: string): Promise<void> {
    await rm(path.join(this.directory, id), { force: true }).catch(() => undefined);
    await rm(path.join(this.directory, `${id}.json`), { force: true }).catch(() => undefined);
  }
}
