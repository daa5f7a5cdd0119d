import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError, NotMediaError, type JobHandle, type MediaLimits, type MediaToolchain, type Model, type NumericIds, type Storage } from '@mediahost/core';
import type { FileDoc, FileOrigin } from '../models/file.js';
import type { FileLifecycle } from './fileLifecycle.js';
import { mediaLayout } from './mediaLayout.js';
import { probeVideo } from './videoProbe.js';
import type { SharedTranscodes } from './sharedTranscodes.js';

export interface IngestRequest {
  owner: string;
  /** The file as it arrived (a finished tus upload, a direct upload, a download); moved, or removed if it is not media. */
  path: string;
  name: string;
  folderId: number | null;
  uploadId?: string;
  /** The file's id when the caller chose it (a hand-over derives it from its source, so that the insert is the claim). */
  id?: string;
  origin?: FileOrigin;
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
    private readonly media: MediaToolchain,
    private readonly limits: MediaLimits,
    private readonly transcode: JobHandle<{ fileId: string }>,
    private readonly lifecycle: FileLifecycle,
    private readonly counters: NumericIds,
    private readonly shared: SharedTranscodes,
  ) {}

  /** The file a tus upload already became: finalizing twice answers the same file. */
  fromUpload(owner: string, uploadId: string): Promise<FileDoc | null> {
    return this.files.findOne({ owner, uploadId }).lean<FileDoc>().exec();
  }

  async ingest(request: IngestRequest): Promise<FileDoc> {
    const sha256 = await sha256Of(request.path);
    // The same bytes, already transcoded (by anyone: the uploader has the bytes): a copy, with no second encode.
    const twin = await this.files.findOne({ sha256, status: 'ready' }).lean<FileDoc>();
    if (twin) {
      const copy = await this.copyOf(twin, request).catch(() => undefined);
      if (copy) {
        await rm(request.path, { force: true });
        return copy;
      }
    }
    let probe;
    try {
      probe = await probeVideo(this.media, request.path, this.limits);
    } catch (error) {
      await rm(request.path, { force: true });
      if (error instanceof NotMediaError) throw new NotMediaUploadError(`${request.name}: ${error.message}`);
      throw error;
    }
    const id = request.id ?? randomUUID();
    const sourceName = `source${safeExtension(request.name)}`;
    const { size } = await stat(request.path);
    await this.storage.putFile(mediaLayout.source(id, sourceName), request.path);

    const file = await this.lifecycle.create({
      _id: id,
      linkId: await this.counters.next('link'),
      sha256,
      uploadId: request.uploadId,
      ...(request.origin ? { origin: request.origin } : {}),
      owner: request.owner,
      name: request.name,
      folderId: request.folderId,
      size,
      sourceName,
      durationSeconds: probe.durationSeconds,
      width: probe.video!.width,
      height: probe.video!.height,
      fps: probe.video!.fps,
      audio: probe.audio.map((track) => ({ ...track, id: randomUUID() })),
      subtitles: probe.subtitles.map((track) => ({ ...track, id: randomUUID() })),
    });
    return this.startTranscode(file);
  }

  /**
   * A new file with the same media as `original` under another name, folder or owner. A ready original's media is
   * hard-linked (no space taken, nothing encoded again); otherwise the copy is transcoded from the linked source.
   */
  async copyOf(original: FileDoc, target: Omit<IngestRequest, 'path'>): Promise<FileDoc> {
    const id = target.id ?? randomUUID();
    const ready = original.status === 'ready';
    try {
      await this.storage.copy(mediaLayout.source(original._id, original.sourceName), mediaLayout.source(id, original.sourceName));
      if (ready) await this.storage.copyTree(mediaLayout.media(original._id), mediaLayout.media(id));
    } catch (error) {
      await this.storage.remove(mediaLayout.fileDir(id));
      throw error;
    }
    const { _id, linkId, owner, name, folderId, tags, uploadId, origin, views, status, encoding, createdAt, updatedAt, ...media } = original;
    const fields = {
      ...media,
      _id: id,
      linkId: await this.counters.next('link'),
      owner: target.owner,
      name: target.name,
      folderId: target.folderId,
      uploadId: target.uploadId,
      ...(target.origin ? { origin: target.origin } : {}),
    };
    return ready ? this.lifecycle.createReady(fields) : this.startTranscode(await this.lifecycle.create(fields));
  }

  /** Queues the file's transcode, unless the same bytes are being transcoded already: then it waits for that one. */
  private async startTranscode(file: FileDoc): Promise<FileDoc> {
    if ((await this.shared.join(file)) === 'follow') return (await this.files.findById(file._id).lean<FileDoc>()) ?? file;
    // a file that stepped over a vanished leader was marked waiting; nothing else writes it until its job starts
    await this.lifecycle.lead(file._id);
    // the job records its own id on the file when it starts: a write from here could undo the job's first writes
    const jobId = await this.transcode.enqueue({ fileId: file._id });
    return { ...file, encoding: { ...file.encoding, jobId, status: 'queued' } };
  }
}
