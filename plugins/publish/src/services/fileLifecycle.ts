import { ConflictError, type EventBus, type Model } from '@mediahost/core';
import type { EncodingStatus, FileDoc, FileStatus, RenditionDoc, TrackDoc } from '../models/file.js';
import { LIFECYCLE_WRITE } from '../models/fileStateGuard.js';
import { FILE_EVENTS } from '../events.js';

export { LIFECYCLE_WRITE };

/**
 * A publish file's lifecycle: `status` / `encoding.status`, the writes that move them and the events they fire.
 * Nothing else in the plugin writes either (models/file.ts refuses such writes without {@link LIFECYCLE_WRITE}).
 *
 * | transition     | from                                         | to                                        | event                       |
 * | -------------- | -------------------------------------------- | ----------------------------------------- | --------------------------- |
 * | create         | (new)                                        | processing / queued                       | created                     |
 * | createReady    | (new copy of a ready file's media)           | ready / ready                             | created, encodingFinished   |
 * | follow         | processing / queued, waiting                 | processing / waiting (sharedFrom leader)  |                             |
 * | lead           | processing / waiting (queued: already there) | processing / queued                       |                             |
 * | start          | processing, failed / any (ready: skipped)    | processing / running, attempts + 1        |                             |
 * | progress       | processing / running                         | (progress only)                           |                             |
 * | transcoded     | processing / running                         | ready / ready                             | encodingFinished            |
 * | attemptFailed  | processing / running                         | processing / queued (error kept)          |                             |
 * | failed         | processing / running                         | failed / failed                           | encodingFailed              |
 * | settle         | processing / waiting on that leader          | the leader's outcome: ready or failed     | encodingFinished or -Failed |
 * | retry          | failed / any, or processing and stalled      | processing / queued                       |                             |
 * | remove         | any                                          | (gone)                                    | deleted                     |
 *
 * The `from` guards are filters on the write, which FerretDB evaluates by reading then writing: they refuse a
 * transition the file's state does not allow, they do not make two writers exclusive. Exclusivity comes from elsewhere:
 * the job runner's claim for a transcode, the settle claims of services/sharedTranscodes.ts for a waiting file.
 */

export type Transition = 'follow' | 'lead' | 'start' | 'transcoded' | 'attemptFailed' | 'failed' | 'settle' | 'retry';

export interface FileState {
  status: FileStatus;
  encoding: EncodingStatus;
}

/** A transition the file's current state does not allow: 409, as the API answered before there was a state machine. */
export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly fileId: string,
    readonly transition: Transition,
    readonly from: FileState,
    message = `File ${fileId} is ${from.status} (encoding ${from.encoding}): it cannot take the ${transition} transition`,
  ) {
    super(message);
  }
}

/** What a new file is made of; its state is the lifecycle's to set. */
export type NewFile = Omit<FileDoc, 'status' | 'encoding' | 'tags' | 'renditions' | 'thumbnails' | 'views' | 'createdAt' | 'updatedAt'> &
  Partial<Pick<FileDoc, 'tags' | 'renditions' | 'thumbnails' | 'views'>>;

/** What a finished transcode made: written with the ready state. */
export interface TranscodedMedia {
  subtitles: TrackDoc[];
  renditions: RenditionDoc[];
  thumbnails: number;
}

type Filter = Record<string, unknown>;
type Update = NonNullable<Parameters<Model<FileDoc>['findOneAndUpdate']>[1]>;
const PROCESSING_RUNNING: Filter = { status: 'processing', 'encoding.status': 'running' };

const stateOf = (file: Pick<FileDoc, 'status' | 'encoding'>): FileState => ({ status: file.status, encoding: file.encoding?.status });

export class FileLifecycle {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly events: EventBus,
  ) {}

  async create(fields: NewFile): Promise<FileDoc> {
    const file = await this.insert({ ...fields, status: 'processing', encoding: { status: 'queued', progress: 0, attempts: 0 } });
    this.events.emit(FILE_EVENTS.created, file);
    return file;
  }

  /** A copy that hard-linked a ready file's media: ready at once, with no transcode of its own. */
  async createReady(fields: NewFile): Promise<FileDoc> {
    const file = await this.insert({ ...fields, status: 'ready', encoding: { status: 'ready', progress: 100, attempts: 0, finishedAt: new Date() } });
    this.events.emit(FILE_EVENTS.created, file);
    this.events.emit(FILE_EVENTS.encodingFinished, file);
    return file;
  }

  /** Waits on `leaderId`'s transcode of the same bytes. null: the file is gone. */
  follow(fileId: string, leaderId: string): Promise<FileDoc | null> {
    return this.move(fileId, 'follow', { status: 'processing', 'encoding.status': { $in: ['queued', 'waiting'] } }, {
      $set: { 'encoding.status': 'waiting', 'encoding.sharedFrom': leaderId },
    });
  }

  /** Transcodes alone after all: a file that stepped over a vanished leader stops waiting. */
  async lead(fileId: string): Promise<FileDoc | null> {
    try {
      return await this.move(fileId, 'lead', { status: 'processing', 'encoding.status': 'waiting' }, {
        $set: { 'encoding.status': 'queued' },
        $unset: { 'encoding.sharedFrom': 1 },
      });
    } catch (error) {
      if (error instanceof IllegalTransitionError && error.from.status === 'processing' && error.from.encoding === 'queued') return this.files.findById(fileId).lean<FileDoc>();
      throw error;
    }
  }

  /** A transcode job begins (or resumes) an attempt. null: nothing to transcode (the file is gone or already ready). */
  async start(fileId: string, jobId: string): Promise<FileDoc | null> {
    return this.files
      .findOneAndUpdate(
        { _id: fileId, status: { $ne: 'ready' } },
        {
          $set: { status: 'processing', 'encoding.jobId': jobId, 'encoding.status': 'running', 'encoding.progress': 0, 'encoding.startedAt': new Date() },
          // FerretDB's $inc is not atomic; the job runner's claim makes this attempt the only writer
          $inc: { 'encoding.attempts': 1 },
          $unset: { 'encoding.error': 1, 'encoding.sharedFrom': 1 },
        },
        { returnDocument: 'after', ...LIFECYCLE_WRITE },
      )
      .lean<FileDoc>()
      .exec();
  }

  /** The running attempt's progress (0–100); a file no longer running keeps what it has. */
  async progress(fileId: string, percent: number): Promise<void> {
    await this.files.updateOne({ _id: fileId, ...PROCESSING_RUNNING }, { $set: { 'encoding.progress': percent } }, { upsert: false, ...LIFECYCLE_WRITE });
  }

  async transcoded(fileId: string, media: TranscodedMedia): Promise<FileDoc | null> {
    const file = await this.move(fileId, 'transcoded', PROCESSING_RUNNING, {
      $set: { status: 'ready', ...media, 'encoding.status': 'ready', 'encoding.progress': 100, 'encoding.finishedAt': new Date() },
    });
    if (file) this.events.emit(FILE_EVENTS.encodingFinished, file);
    return file;
  }

  /** An attempt that failed but will be run again (by the job runner): the file waits in the queue, its error shown. */
  attemptFailed(fileId: string, error: string): Promise<FileDoc | null> {
    return this.move(fileId, 'attemptFailed', PROCESSING_RUNNING, { $set: { 'encoding.error': error, 'encoding.status': 'queued' } });
  }

  /** The transcode failed for good. */
  async failed(fileId: string, error: string): Promise<FileDoc | null> {
    const file = await this.move(fileId, 'failed', PROCESSING_RUNNING, {
      $set: { status: 'failed', 'encoding.error': error, 'encoding.status': 'failed', 'encoding.finishedAt': new Date() },
    });
    if (file) this.events.emit(FILE_EVENTS.encodingFailed, file);
    return file;
  }

  /**
   * A waiting file takes its leader's outcome: the leader's media description when it is ready (the media folder is
   * the caller's to link first), its error when it failed. The caller holds the settle claim.
   */
  async settle(followerId: string, leader: FileDoc): Promise<FileDoc | null> {
    let set: Record<string, unknown>;
    if (leader.status === 'ready') {
      const { durationSeconds, width, height, fps, audio, subtitles, renditions, thumbnails } = leader;
      set = {
        status: 'ready',
        ...{ durationSeconds, width, height, fps, audio, subtitles, renditions, thumbnails },
        encoding: { status: 'ready', progress: 100, attempts: 0, sharedFrom: leader._id, finishedAt: new Date() },
      };
    } else {
      const error = leader.encoding.error ?? 'The transcode this file shared failed';
      set = { status: 'failed', encoding: { status: 'failed', progress: 0, attempts: 0, sharedFrom: leader._id, error, finishedAt: new Date() } };
    }
    const file = await this.move(followerId, 'settle', { status: 'processing', 'encoding.status': 'waiting', 'encoding.sharedFrom': leader._id }, { $set: set });
    if (file) this.events.emit(file.status === 'ready' ? FILE_EVENTS.encodingFinished : FILE_EVENTS.encodingFailed, file);
    return file;
  }

  /**
   * Puts a failed or stalled encoding back in the queue; the caller then runs its job. `stalled` tells whether a
   * processing file is one nothing will finish (it knows the jobs and the shared transcodes).
   */
  async retry(file: FileDoc, stalled: () => Promise<boolean>): Promise<FileDoc | null> {
    if (file.status !== 'failed' && (file.status !== 'processing' || !(await stalled()))) {
      throw new IllegalTransitionError(file._id, 'retry', stateOf(file), `File ${file._id} is ${file.status}: only a failed or stalled encoding can be retried`);
    }
    return this.move(file._id, 'retry', { status: file.status }, {
      $set: { status: 'processing', 'encoding.status': 'queued', 'encoding.progress': 0 },
      $unset: { 'encoding.error': 1, 'encoding.finishedAt': 1 },
    });
  }

  /** The file's record is deleted (its media folder is the caller's to remove). */
  async remove(file: FileDoc): Promise<void> {
    await this.files.deleteOne({ _id: file._id });
    this.events.emit(FILE_EVENTS.deleted, file);
  }

  private async insert(doc: Partial<FileDoc>): Promise<FileDoc> {
    return (await this.files.create(doc)).toObject();
  }

  /** Writes the transition if the file is in a state it starts from. null: the file is gone (deleted meanwhile). */
  private async move(fileId: string, transition: Transition, from: Filter, update: Update): Promise<FileDoc | null> {
    const file = await this.files.findOneAndUpdate({ _id: fileId, ...from }, update, { returnDocument: 'after', ...LIFECYCLE_WRITE }).lean<FileDoc>();
    if (file) return file;
    const current = await this.files.findById(fileId, { status: 1, encoding: 1 }).lean<FileDoc>();
    if (!current) return null;
    throw new IllegalTransitionError(fileId, transition, stateOf(current));
  }
}
