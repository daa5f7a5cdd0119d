import type { Logger } from '../log/createLogger.js';
import type { JobHandle, JobType } from './defineJob.js';

export interface JobRun<D> {
  id: string;
  data: D;
  /** 0 on the first run, then 1, 2… on retries. */
  attempt: number;
  /** Reports 0–100. The queue renews the job's lock by itself while run() is under way. */
  progress(percent: number): Promise<void>;
  /**
   * Aborted when the run must stop at once (the process is stopping, or lost the database): pass it on to
   * long work (ctx.media.run) and let the rejection through; the queue then hands the job to another runner.
   */
  signal: AbortSignal;
  logger: Logger;
}

export interface JobSpec<D = any> {
  /** Unique within the plugin; the queue stores it as "<plugin>.<name>". */
  name: string;
  run(job: JobRun<D>): Promise<void>;
  concurrency?: number;
  /**
   * Retries after the first failure, with exponential backoff from retryDelayMs (default 3, 5 s). Transient failures
   * (disk full, database away, interrupted: see isTransientError) are retried with backoff by themselves and do not count.
   */
  maxRetries?: number;
  retryDelayMs?: number;
  /**
   * Agenda runs a job again once its lock is this old (default 10 min); it is renewed while the job runs. A runner that
   * stops hands its jobs back at once, and one that dies has them taken over as soon as its heartbeat stops.
   */
  lockLifetimeMs?: number;
}

export type JobState = 'queued' | 'running' | 'completed' | 'failed';

export interface JobStatus {
  id: string;
  name: string;
  state: JobState;
  progress: number;
  failCount: number;
  error?: string;
  data: unknown;
  lastRunAt?: Date;
  lastFinishedAt?: Date;
}

/** What a plugin sees of the queue: its job names are relative to the plugin. */
export interface JobQueue {
  /** The typed handle a service enqueues the job with; enqueuing refuses a job no plugin registered. */
  handle<P>(job: JobType<P>): JobHandle<P>;
  get(id: string): Promise<JobStatus | undefined>;
  /** Runs a failed job again now. */
  retry(id: string): Promise<void>;
}
