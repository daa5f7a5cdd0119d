import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from '@mediahost/core';
import type { RecordingInfo } from './recordingModel.js';

export const ID = /^[a-zA-Z0-9_-]+(~\d+)?$/;

/** Where a recording's file is read from: a file of this machine, or an object of the plugin's storage. */
export type RecordingFile = { path: string } | { storage: Storage; key: string };

/** Recordings: their metadata (rewritten at each status), the tracks being recorded, and the final files. */
export interface RecordingStore {
  /** This machine's folder of a recording: its tracks are written there while it records. */
  dir(id: string): string;
  /** sessionId, then sessionId~1, ~2… for the next ones. */
  nextId(sessionId: string): Promise<string>;
  save(info: RecordingInfo): Promise<void>;
  get(id: string): Promise<RecordingInfo | undefined>;
  list(): Promise<RecordingInfo[]>;
  remove(id: string): Promise<void>;
  /** Once it stopped: makes the recorded tracks (and their manifest) reachable by the finalize job, wherever it runs. */
  handOver(id: string): Promise<void>;
  /** Runs `finalize` in a local folder holding the handed-over tracks, then keeps the file it made as the recording's. */
  finalizeIn<T extends { fileName: string }>(id: string, finalize: (dir: string) => Promise<T>): Promise<T>;
  file(id: string, name: string): RecordingFile;
}

/**
 * Recordings on disk as OpenVidu CE keeps them: a folder per recording with its metadata file .recording.<id>,
 * rewritten at each status. Any process of the machine can read them; listing scans the folders.
 */
export class LocalRecordingStore implements RecordingStore {
  constructor(private readonly root: () => string) {}

  dir(id: string): string {
    if (!ID.test(id)) throw new Error(`invalid recording id ${id}`);
    return path.join(this.root(), id);
  }

  private metadataFile(id: string): string {
    return path.join(this.dir(id), `.recording.${id}`);
  }

  /** sessionId, then sessionId~1, ~2… for the next ones. */
  async nextId(sessionId: string): Promise<string> {
    for (let n = 0; ; n++) {
      const id = n === 0 ? sessionId : `${sessionId}~${n}`;
      try {
        await stat(this.dir(id));
      } catch {
        return id;
      }
    }
  }

  async save(info: RecordingInfo): Promise<void> {
    await mkdir(this.dir(info.id), { recursive: true });
    const file = this.metadataFile(info.id);
    await writeFile(`${file}.tmp`, JSON.stringify(info, null, 2));
    await rename(`${file}.tmp`, file);
  }

  async get(id: string): Promise<RecordingInfo | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.metadataFile(id), 'utf8')) as RecordingInfo;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<RecordingInfo[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root());
    } catch {
      return [];
    }
    const found = await Promise.all(entries.filter((e) => ID.test(e)).map((id) => this.get(id)));
    return found.filter((r): r is RecordingInfo => !!r).sort((a, b) => a.createdAt - b.createdAt);
  }

  async remove(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }

  async handOver(): Promise<void> {}

  finalizeIn<T extends { fileName: string }>(id: string, finalize: (dir: string) => Promise<T>): Promise<T> {
    return finalize(this.dir(id));
  }

  file(id: string, name: string): RecordingFile {
    return { path: path.join(this.dir(id), name) };
  }
}
