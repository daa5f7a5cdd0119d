import { ConflictError, type JobQueue, type Model } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import { TRANSCODE_JOB } from '../jobs/transcode.js';
import type { FileService } from './files.js';

/** The transcoding of the owner's files: what runs, how far it is, what failed and why, and running it again. */
export class Encodings {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly fileService: FileService,
    private readonly jobs: JobQueue,
  ) {}

  async list(owner: string, status?: string) {
    const filter: Record<string, unknown> = { owner, ...(status ? { 'encoding.status': status } : {}) };
    const files = await this.files.find(filter).sort({ updatedAt: -1 }).limit(500).lean<FileDoc[]>();
    return files.map((file) => ({
      fileId: file._id,
      name: file.name,
      status: file.encoding.status,
      progress: file.encoding.progress,
      error: file.encoding.error ?? null,
      attempts: file.encoding.attempts,
      qualities: file.renditions.map((r) => r.name),
      startedAt: file.encoding.startedAt ?? null,
      finishedAt: file.encoding.finishedAt ?? null,
    }));
  }

  /** Runs a failed transcoding again (after the operator fixed its cause). */
  async retry(owner: string, fileId: string): Promise<FileDoc> {
    const file = await this.fileService.own(owner, fileId);
    if (file.status !== 'failed') throw new ConflictError(`File ${fileId} is ${file.status}: only a failed encoding can be retried`);
    await this.files.updateOne(
      { _id: fileId },
      { $set: { status: 'processing', 'encoding.status': 'queued', 'encoding.progress': 0 }, $unset: { 'encoding.error': 1, 'encoding.finishedAt': 1 } },
    );
    if (file.encoding.jobId && (await this.jobs.get(file.encoding.jobId))) await this.jobs.retry(file.encoding.jobId);
    else await this.files.updateOne({ _id: fileId }, { $set: { 'encoding.jobId': await this.jobs.enqueue(TRANSCODE_JOB, { fileId }) } });
    return this.fileService.own(owner, fileId);
  }
}
