import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError, type JobQueue, type Model, type Storage } from '@mediahost/core';
import type { Counters } from '../models/counter.js';
import type { FileDoc } from '../models/file.js';
import type { EventEmitter } from 'node:events';
import { TRANSCODE_JOB } from '../jobs/transcode.js';
import { FILE_EVENTS } from './files.js';
import { NotMediaError, type Ffmpeg } from './ffmpeg.js';
import { mediaLayout } from './mediaLayout.js';

export interface IngestRequest {
  owner: string;
  /** The file as it arrived (a finished tus upload, a direct upload, a download); moved, or removed if it is not media. */
  path: string;
  name: string;
  folderId: number | null;
  uploadId?: string;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Raised for a file that is not media: the caller answers 400 with its message. */
export class NotMediaUploadError extends BadRequestError {}

const safeExtension = (name: string) => (/^\.[a-z0-9]{1,8}$/i.test(path.extname(name)) ? path.extname(name).toLowerCase() : '');

/** Turns an arrived file into a platform file: probe, keep the source, record what was found, queue the transcoding. */
export class Ingest {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly storage: Storage,
    private readonly ffmpeg: Ffmpeg,
    private readonly jobs: JobQueue,
    private readonly events: EventEmitter,
    private readonly counters: Counters,
  ) {}

  /** The file a tus upload already became: finalizing twice answers the same file. */
  fromUpload(owner: string, uploadId: string): Promise<FileDoc | null> {
    return this.files.findOne({ owner, uploadId }).lean<FileDoc>().exec();
  }

  async ingest(request: IngestRequest): Promise<FileDoc> {
    let probe;
    try {
      probe = await this.ffmpeg.probe(request.path);
    } catch (error) {
      await rm(request.path, { force: true });
      if (error instanceof NotMediaError) throw new NotMediaUploadError(`${request.name}: ${error.message}`);
      throw error;
    }
    const id = randomUUID();
    const sourceName = `source${safeExtension(request.name)}`;
    const { size } = await stat(request.path);
    const sha256 = await sha256Of(request.path);
    await mkdir(this.storage.resolve(mediaLayout.fileDir(id)), { recursive: true });
    await rename(request.path, this.storage.resolve(mediaLayout.source(id, sourceName)));

    const file = await this.files.create({
      _id: id,
      linkId: await this.counters.next('link'),
      sha256,
      uploadId: request.uploadId,
      owner: request.owner,
      name: request.name,
      folderId: request.folderId,
      size,
      sourceName,
      status: 'processing',
      durationSeconds: probe.durationSeconds,
      width: probe.video!.width,
      height: probe.video!.height,
      fps: probe.video!.fps,
      audio: probe.audio.map((track) => ({ ...track, id: randomUUID() })),
      subtitles: probe.subtitles.map((track) => ({ ...track, id: randomUUID() })),
      encoding: { status: 'queued', progress: 0, attempts: 0 },
    });
    const jobId = await this.jobs.enqueue(TRANSCODE_JOB, { fileId: id });
    await this.files.updateOne({ _id: id }, { $set: { 'encoding.jobId': jobId } });
    const created: FileDoc = { ...file.toObject(), encoding: { ...file.toObject().encoding, jobId } };
    this.events.emit(FILE_EVENTS.created, created);
    return created;
  }
}
