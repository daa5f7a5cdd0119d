import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { NotFoundError, type Storage } from '@mediahost/core';
import type { RecordingInfo } from './recordingModel.js';
import { ID, type RecordingFile, type RecordingStore } from './recordingStore.js';

const folder = (id: string) => `recordings/${id}`;
const metadataKey = (id: string) => `${folder(id)}/.recording.${id}`;
/** The tracks of a stopped recording, as the media node recorded them, until the finalize job made the final file. */
const rawFolder = (id: string) => `${folder(id)}/.raw`;
const METADATA_KEY = /^recordings\/([a-zA-Z0-9_~-]+)\/\.recording\.\1$/;

/**
 * Recordings in the plugin's S3 storage (`recordings/<id>/`): metadata and final files in the bucket, so that any
 * process lists, serves and finalizes them. Only the tracks being recorded are on the media node's disk (`root`);
 * once stopped they go to the bucket, and the finalize job fetches them into a scratch folder of its own.
 */
export class BucketRecordingStore implements RecordingStore {
  constructor(
    private readonly root: () => string,
    private readonly storage: Storage,
  ) {}

  dir(id: string): string {
    if (!ID.test(id)) throw new Error(`invalid recording id ${id}`);
    return path.join(this.root(), id);
  }

  async nextId(sessionId: string): Promise<string> {
    for (let n = 0; ; n++) {
      const id = n === 0 ? sessionId : `${sessionId}~${n}`;
      if (!(await this.storage.stat(metadataKey(id)))) return id;
    }
  }

  async save(info: RecordingInfo): Promise<void> {
    await this.storage.withScratch(`recording-info-${info.id}`, async (dir) => {
      const file = path.join(dir, 'info.json');
      await writeFile(file, JSON.stringify(info, null, 2));
      await this.storage.putFile(metadataKey(info.id), file);
    });
  }

  async get(id: string): Promise<RecordingInfo | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(await text(await this.storage.read(metadataKey(id)))) as RecordingInfo;
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  async list(): Promise<RecordingInfo[]> {
    const ids = (await this.storage.list('recordings')).map((key) => METADATA_KEY.exec(key)?.[1]).filter((id): id is string => !!id);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((r): r is RecordingInfo => !!r).sort((a, b) => a.createdAt - b.createdAt);
  }

  async remove(id: string): Promise<void> {
    await this.storage.remove(folder(id));
    await rm(this.dir(id), { recursive: true, force: true });
  }

  async handOver(id: string): Promise<void> {
    await this.storage.putTree(rawFolder(id), this.dir(id));
  }

  async finalizeIn<T extends { fileName: string }>(id: string, finalize: (dir: string) => Promise<T>): Promise<T> {
    return this.storage.withScratch(`recording-${id}`, async (work) => {
      const raw = rawFolder(id);
      for (const key of await this.storage.list(raw)) {
        const local = path.join(work, key.slice(raw.length + 1));
        await mkdir(path.dirname(local), { recursive: true });
        await this.storage.getFile(key, local);
      }
      const result = await finalize(work);
      await this.storage.putFile(`${folder(id)}/${result.fileName}`, path.join(work, result.fileName));
      await this.storage.remove(raw);
      return result;
    });
  }

  file(id: string, name: string): RecordingFile {
    return { storage: this.storage, key: `${folder(id)}/${name}` };
  }
}
