import { Agenda, backoffStrategies, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { Types, type Connection } from 'mongoose';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log/createLogger.js';
import type { JobQueue, JobSpec, JobState, JobStatus } from './types.js';

const JOBS_COLLECTION = 'core_jobs';

interface JobParams {
  _id?: unknown;
  name: string;
  data: unknown;
  progress?: number;
  failCount?: number | null;
  failReason?: string | null;
  lastRunAt?: Date | null;
  lastFinishedAt?: Date | null;
  lockedAt?: Date | null;
  nextRunAt?: Date | null;
  failedAt?: Date | null;
}

/** A job waiting for its next retry is still queued: only a job with no run ahead of it has failed. */
function stateOf(job: JobParams): JobState {
  if (job.lockedAt) return 'running';
  if (job.nextRunAt) return 'queued';
  if (job.failedAt && (!job.lastFinishedAt || job.failedAt >= job.lastFinishedAt)) return 'failed';
  return 'completed';
}

function toStatus(job: JobParams): JobStatus {
  const state = stateOf(job);
  return {
    id: String(job._id),
    name: job.name,
    state,
    progress: state === 'completed' ? 100 : (job.progress ?? 0),
    failCount: job.failCount ?? 0,
    ...(job.failReason ? { error: job.failReason } : {}),
    data: job.data,
    ...(job.lastRunAt ? { lastRunAt: job.lastRunAt } : {}),
    ...(job.lastFinishedAt ? { lastFinishedAt: job.lastFinishedAt } : {}),
  };
}

/** The persisted job queue (agenda on the platform's database). Every process can enqueue; workers also run. */
export class JobQueueService {
  private readonly agenda: Agenda;
  private running = false;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    pollIntervalMs: number,
  ) {
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: connection.db!, collection: JOBS_COLLECTION, logCollection: 'core_job_logs' }),
      processEvery: pollIntervalMs,
    });
    this.agenda.on('error', (error) => logger.error('job queue error', { error }));
    this.agenda.on('fail', (error, job) => {
      if (typeof job === 'object' && 'attrs' in job) {
        logger.warn(`job ${job.attrs.name} ${String(job.attrs._id)} failed`, { error: String(error) });
      }
    });
  }

  /** Resolves once the queue's collection and indexes are ready. */
  ready(): Promise<void> {
    return this.agenda.ready;
  }

  define(spec: JobSpec): void {
    const logger = this.logger.child({ job: spec.name });
    const lockLifetime = spec.lockLifetimeMs ?? 10 * 60_000;
    this.agenda.define(
      spec.name,
      async (job: Job<unknown>) => {
        let progress = job.attrs.progress ?? 0;
        // A lock not renewed within its lifetime lets agenda run the job again: renew it whatever the job reports.
        const heartbeat = setInterval(() => void job.touch(progress).catch(() => undefined), Math.max(250, lockLifetime / 3));
        try {
          await spec.run({
            id: String(job.attrs._id),
            data: job.attrs.data,
            attempt: job.attrs.failCount ?? 0,
            progress: (percent) => {
              progress = Math.max(0, Math.min(100, Math.round(percent)));
              return job.touch(progress);
            },
            logger,
          });
        } finally {
          clearInterval(heartbeat);
        }
      },
      {
        concurrency: spec.concurrency ?? 1,
        lockLifetime,
        backoff: backoffStrategies.exponential({ delay: spec.retryDelayMs ?? 5000, maxRetries: spec.maxRetries ?? 3, factor: 2 }),
      },
    );
  }

  /** Starts running jobs in this process. */
  async startWorker(): Promise<void> {
    await this.agenda.start();
    this.running = true;
  }

  async enqueue(name: string, data: unknown): Promise<string> {
    const job = await this.agenda.now(name, data);
    return String(job.attrs._id);
  }

  async get(id: string): Promise<JobStatus | undefined> {
    if (!/^[0-9a-f]{24}$/i.test(id)) return undefined;
    const { jobs } = await this.agenda.queryJobs({ id, limit: 1 });
    return jobs[0] ? toStatus(jobs[0] as unknown as JobParams) : undefined;
  }

  async retry(id: string): Promise<void> {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError(`Job ${id} not found`);
    // Rescheduling in place keeps the job id its callers hold; agenda has no public call for that.
    const { matchedCount } = await this.connection.db!.collection(JOBS_COLLECTION).updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { nextRunAt: new Date(), failedAt: null, failReason: null, failCount: 0, progress: 0, lockedAt: null } },
    );
    if (!matchedCount) throw new NotFoundError(`Job ${id} not found`);
  }

  /** A view for one plugin: names are namespaced so plugins cannot collide. */
  forPlugin(plugin: string): JobQueue {
    const prefix = `${plugin}.`;
    return {
      enqueue: (name, data) => this.enqueue(prefix + name, data),
      get: async (id) => {
        const status = await this.get(id);
        return status?.name.startsWith(prefix) ? { ...status, name: status.name.slice(prefix.length) } : undefined;
      },
      retry: async (id) => {
        const status = await this.get(id);
        if (!status?.name.startsWith(prefix)) throw new NotFoundError(`Job ${id} not found`);
        await this.retry(id);
      },
    };
  }

  /** Stops taking jobs; running ones are unlocked so another worker (or the next start) resumes them. */
  async stop(): Promise<void> {
    if (this.running) await this.agenda.stop();
    this.running = false;
  }
}
