import { NotFoundError, type JobHandle, type JobQueue, type Model } from '@mediahost/core';
import type { Quality } from '../config.js';
import type { FileDoc } from '../models/file.js';
import { ladderFor } from './ladder.js';
import type { FileLifecycle } from './fileLifecycle.js';
import type { FileService } from './files.js';
import type { SharedTranscodes } from './sharedTranscodes.js';

/** The transcoding of the owner's files: what runs, how far it is, what failed and why, and running it again. */
export class Encodings {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly fileService: FileService,
    private readonly jobs: JobQueue,
    private readonly transcode: JobHandle<{ fileId: string }>,
    private readonly qualities: Quality[],
    private readonly shared: SharedTranscodes,
    private readonly lifecycle: FileLifecycle,
  ) {}

  /**
   * VideoCMS's encodings list: one row per quality of each file being encoded, Progress 0–1, or null when none.
   * Failed encodings are listed too (Failed, Error), so a client can see why and retry.
   */
  async list(owner: string) {
    const files = await this.files.find({ owner, status: { $in: ['processing', 'failed'] } }).sort({ updatedAt: -1 }).limit(500).lean<FileDoc[]>();
    const rows = files.flatMap((file) =>
      ladderFor(file, this.qualities).map((rung) => ({
        ID: file.linkId,
        UUID: file._id,
        Name: file.name,
        Quality: rung.name,
        Progress: file.encoding.progress / 100,
        Status: file.encoding.status,
        Failed: file.status === 'failed',
        Error: file.encoding.error ?? null,
        Attempts: file.encoding.attempts,
      })),
    );
    return rows.length ? rows : null;
  }

  /** Every owner's files being encoded, one entry per quality still to make, oldest first: the admin's view. */
  async running(): Promise<{ file: FileDoc; quality: string }[]> {
    const files = await this.files.find({ status: 'processing' }).sort({ createdAt: 1 }).limit(500).lean<FileDoc[]>();
    return files.flatMap((file) => ladderFor(file, this.qualities).map((rung) => ({ file, quality: rung.name })));
  }

  /** Runs a failed or stalled transcoding again (after the operator fixed its cause). */
  async retry(owner: string, fileId: string): Promise<FileDoc> {
    const file = await this.fileService.own(owner, fileId);
    if (!(await this.lifecycle.retry(file, () => this.isStalled(file)))) throw new NotFoundError(`File ${fileId} not found`);
    // the job records its id on the file when it starts
    if (file.encoding.jobId && (await this.jobs.get(file.encoding.jobId))) await this.jobs.retry(file.encoding.jobId);
    else await this.transcode.enqueue({ fileId });
    return this.fileService.own(owner, fileId);
  }

  /** A processing file nothing will finish: its job ended or vanished, or the transcode it waited on will not settle it. */
  private async isStalled(file: FileDoc): Promise<boolean> {
    if (file.status !== 'processing') return false;
    if (file.encoding.status === 'waiting') return this.shared.isStranded(file);
    if (!file.encoding.jobId) return false;
    const job = await this.jobs.get(file.encoding.jobId);
    return !job || job.state === 'completed' || job.state === 'failed';
  }
}
