import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Upload } from '@tus/server';
import { CleanFileStore } from './cleanFileStore.js';
import { withoutOwner, type UploadStore } from './uploadStore.js';

/** Uploads on this machine's disk (local storage): `<id>` holds the bytes, `<id>.json` the metadata. */
export class OwnedFileStore extends CleanFileStore implements UploadStore {
  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(id);
    if (upload.metadata) upload.metadata = withoutOwner(upload.metadata);
    return upload;
  }

  ownedUpload(id: string): Promise<Upload> {
    return super.getUpload(id);
  }

  async uploadIds(): Promise<string[]> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
  }

  async forget(id: string): Promise<void> {
    await rm(path.join(this.directory, `${id}.json`), { force: true });
    await rm(path.join(this.directory, id), { force: true });
  }
}
