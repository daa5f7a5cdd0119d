import type { Model } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';

/** How long a ready file's record is reused: a player fetches a segment every few seconds per viewer. */
const TTL_MS = 5000;
const MAX_ENTRIES = 10_000;

/**
 * The records of ready files, reused for a few seconds by the media routes so that serving a segment does not
 * read the database each time. A file deleted or re-encoded meanwhile loses its media folder on disk, which the
 * routes read anyway, so a stale record can at worst answer 404 a few seconds late, never serve what is gone.
 */
export class RecentReadyFiles {
  private readonly entries = new Map<string, { file: FileDoc; until: number }>();

  constructor(private readonly files: Model<FileDoc>) {}

  async get(id: string): Promise<FileDoc | undefined> {
    const now = Date.now();
    const entry = this.entries.get(id);
    if (entry && entry.until > now) return entry.file;
    const file = await this.files.findById(id).lean<FileDoc>();
    if (!file || file.status !== 'ready') {
      this.entries.delete(id);
      return undefined;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { file, until: now + TTL_MS });
    return file;
  }
}
