import { Agenda, backoffStrategies, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { ObjectId, type Collection, type Filter } from 'mongodb';
import type { Connection } from 'mongoose';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log/createLogger.js';
import { DetachedJobs } from './detachableRepository.js';
import { RunClaims, type RunKey } from './runClaims.js';
import { RunnerHeartbeat } from './runnerHeartbeat.js';
import { isTransientError, JobInterruptedError } from './transientErrors.js';
import { jobSpecOf, type JobDefinition } from './defineJob.js';
import type { JobQueue, JobSpec, JobState, JobStatus } from './types.js';

const JOBS_COLLECTION = 'core_jobs';
/** The runner name under which a handed-over run is claimed, so that nobody claims it again. */
const HANDED_OVER = 'handed over by ';
/** How long a stopping runner waits for its interrupted jobs to wind down before putting them back anyway. */
const STOP_GRACE_MS = 5000;
/** The longest wait between two tries of a job failing for a transient reason. */
const MAX_TRANSIENT_DELAY_MS = 5 * 60_000;

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

/** The queue's own fields on agenda's job documents, which agenda leaves alone. */
interface JobDoc {
  _id: ObjectId;
  name: string;
  lockedAt?: Date | null;
  lastModifiedBy?: string | null;
  failCount?: number | null;
  runGeneration?: number | null;
  transientFailures?: number;
  nextRunAt?: Date | null;
  lastFinishedAt?: Date | null;
  failedAt?: Date | null;
}

interface ActiveRun {
  controller: AbortController;
  key: RunKey;
  done: Promise<void>;
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

const keyOf = (doc: JobDoc): RunKey => ({ jobId: doc._id.toHexString(), generation: doc.runGeneration ?? 0, failCount: doc.failCount ?? 0 });

/** The job as it was when this run was claimed: a job put back since then belongs to another run. */
const sameRun = (key: RunKey): Filter<JobDoc> => ({
  _id: new ObjectId(key.jobId),
  ...(key.generation ? { runGeneration: key.generation } : { runGeneration: { $in: [0, null] } }),
});

/** The same run, failed attempts included: a retry after a failure is another run. */
const sameAttempt = (key: RunKey): Filter<JobDoc> => ({
  ...sameRun(key),
  ...(key.failCount ? { failCount: key.failCount } : { failCount: { $in: [0, null] } }),
});

/**
 * The persisted job queue (agenda on the platform's database). Every process can enqueue; workers also run.
 * Agenda alone would leave a job interrupted by a stop or a crash locked for its whole lock lifetime, and its
 * locking is not atomic on FerretDB: runners therefore beat a heartbeat, claim each run under a unique _id,
 * hand back their running jobs when they stop, and take over the jobs of runners whose heartbeat stopped.
 */
export class JobQueueService {
  private readonly agenda: Agenda;
  private readonly jobs: Collection<JobDoc>;
  private readonly heartbeat: RunnerHeartbeat;
  private readonly claims: RunClaims;
  private readonly detached: DetachedJobs;
  private readonly active = new Map<string, ActiveRun>();
  /** Jobs whose run this runner is claiming: not yet active, but not orphans either. */
  private readonly starting = new Set<string>();
  /** The names define() was given: a job under any other name would wait in the queue forever. */
  private readonly defined = new Set<string>();
  /** Put-backs the database refused (it was away): tried again at every heartbeat. */
  private readonly pendingPutBacks = new Map<string, () => Promise<void>>();
  private ticker?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private beater?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private running = false;
  private nextClaimExpiry = 0;

  constructor(
    connection: Connection,
    private readonly logger: Logger,
    pollIntervalMs: number,
    heartbeatMs = 2000,
    /** How long a settled run's claims are kept: far beyond any race a lost update can lose (hours, not seconds). */
    private readonly claimRetentionMs = 24 * 3600_000,
  ) {
    const db = connection.db!;
    this.jobs = db.collection<JobDoc>(JOBS_COLLECTION);
    this.heartbeat = new RunnerHeartbeat(db, heartbeatMs);
    this.claims = new RunClaims(db);
    const backend = new MongoBackend({ mongo: db, collection: JOBS_COLLECTION, logCollection: 'core_job_logs' });
    this.detached = new DetachedJobs(backend.repository);
    // The name is written as lastModifiedBy on every job this runner locks: the owner of a job not yet claimed.
    this.agenda = new Agenda({ backend, processEvery: pollIntervalMs, name: this.heartbeat.id });
    this.agenda.on('error', (error) => logger.error('job queue error', { error }));
    this.agenda.on('fail', (error, job) => {
      if (typeof job === 'object' && 'attrs' in job) {
        logger.warn(`job ${job.attrs.name} ${String(job.attrs._id)} failed`, { error });
      }
    });
    this.agenda.on('complete', (job: Job) => this.detached.release(String(job.attrs._id)));
  }

  /** Resolves once the queue's collection and indexes are ready. */
  ready(): Promise<void> {
    return this.agenda.ready;
  }

  define(spec: JobSpec): void {
    this.defined.add(spec.name);
    const logger = this.logger.child({ job: spec.name });
    const lockLifetime = spec.lockLifetimeMs ?? 10 * 60_000;
    const concurrency = spec.concurrency ?? 1;
    this.agenda.define(spec.name, (job: Job<unknown>) => this.execute(spec, job, logger, lockLifetime), {
      concurrency,
      // A runner locks no more jobs than it runs, so none waits locked in one runner while another is idle.
      lockLimit: concurrency,
      lockLifetime,
      backoff: backoffStrategies.exponential({ delay: spec.retryDelayMs ?? 5000, maxRetries: spec.maxRetries ?? 3, factor: 2 }),
    });
  }

  /** Registers a plugin's job under its namespaced name. */
  definePluginJob(plugin: string, definition: JobDefinition<unknown>): void {
    this.define(jobSpecOf(definition, `${plugin}.${definition.name}`));
  }

  private async execute(spec: JobSpec, job: Job<unknown>, logger: Logger, lockLifetime: number): Promise<void> {
    const jobId = String(job.attrs._id);
    const doc = await this.jobs.findOne({ _id: new ObjectId(jobId) });
    if (!doc) return;
    const key = keyOf(doc);
    this.starting.add(jobId);
    let holder: string | undefined;
    try {
      holder = await this.claims.claimRun(key, this.heartbeat.id);
    } finally {
      if (holder !== undefined) this.starting.delete(jobId);
    }
    if (holder !== undefined) {
      // Locked twice (FerretDB) or again after its lock expired: the holder runs it, or the sweep hands it over.
      logger.info(`job ${jobId} is already claimed by ${holder}: left to it`);
      this.detached.detach(jobId);
      if (await this.claims.isDone(key)) await this.recordCompleted(key, doc);
      return;
    }
    const controller = new AbortController();
    const done = this.supervise(spec, job, key, doc.transientFailures ?? 0, controller, logger, lockLifetime);
    this.active.set(jobId, { controller, key, done: done.then(() => undefined, () => undefined) });
    this.starting.delete(jobId);
    try {
      // Recorded before agenda saves the job as completed: from then on no runner takes this run again.
      if ((await done) === 'completed') await this.claims.markDone(key, this.heartbeat.id).catch((error: unknown) => logger.warn(`job ${jobId} could not be marked done`, { error }));
    } finally {
      this.active.delete(jobId);
    }
  }

  /**
   * Writes a completed run's job as completed again. On FerretDB a runner's lock taken on a read from before the run
   * completed, or an update racing agenda's last save, can leave the job locked or due again (updates rewrite the
   * whole document): with nobody left to unlock it, it would show running for ever, or run again.
   */
  private async recordCompleted(key: RunKey, doc: JobDoc): Promise<void> {
    await this.jobs.updateOne(sameAttempt(key), { $set: { lockedAt: null, nextRunAt: null, lastFinishedAt: doc.lastFinishedAt ?? new Date() } });
  }

  /** Runs the job: 'completed', or 'putBack' when it was handed back for another run; a failure is thrown to agenda. */
  private async supervise(spec: JobSpec, job: Job<unknown>, key: RunKey, transientFailures: number, controller: AbortController, logger: Logger, lockLifetime: number): Promise<'completed' | 'putBack'> {
    let progress = job.attrs.progress ?? 0;
    // A lock not renewed within its lifetime lets agenda run the job again: renew it whatever the job reports.
    const touch = setInterval(() => void job.touch(progress).catch(() => undefined), Math.max(250, lockLifetime / 3));
    logger.info(`job ${key.jobId} started`, { runner: this.heartbeat.id, attempt: key.failCount });
    try {
      await spec.run({
        id: key.jobId,
        data: job.attrs.data,
        attempt: key.failCount,
        signal: controller.signal,
        progress: (percent) => {
          progress = Math.max(0, Math.min(100, Math.round(percent)));
          return job.touch(progress);
        },
        logger,
      });
      logger.info(`job ${key.jobId} completed`, { runner: this.heartbeat.id });
      return 'completed';
    } catch (error) {
      const interrupted = controller.signal.aborted;
      if (!interrupted && !isTransientError(error)) throw error;
      this.detached.detach(key.jobId);
      const delayMs = interrupted ? 0 : Math.min(MAX_TRANSIENT_DELAY_MS, (spec.retryDelayMs ?? 5000) * 2 ** transientFailures);
      logger.warn(`job ${key.jobId} ${interrupted ? 'interrupted' : 'failed for a transient reason'}: put back to run in ${delayMs} ms`, { error });
      await this.putBack(key, delayMs, interrupted ? transientFailures : transientFailures + 1);
      return 'putBack';
    } finally {
      clearInterval(touch);
    }
  }

  /** Unlocks a job for its next run, unless it was put back already; kept and tried again while the database is away. */
  private async putBack(key: RunKey, delayMs: number, transientFailures: number): Promise<void> {
    const write = async () => {
      await this.jobs.updateOne(sameRun(key), {
        $set: { lockedAt: null, nextRunAt: new Date(Date.now() + delayMs), runGeneration: key.generation + 1, transientFailures },
      });
      this.pendingPutBacks.delete(key.jobId);
    };
    try {
      await write();
    } catch (error) {
      this.logger.warn(`job ${key.jobId} could not be put back yet`, { error });
      this.pendingPutBacks.set(key.jobId, write);
    }
  }

  /** Starts running jobs in this process. */
  async startWorker(): Promise<void> {
    await this.heartbeat.beat();
    await this.agenda.start();
    this.running = true;
    // The heartbeat has a timer of its own: a slow sweep must never delay it, or the others would take live jobs.
    this.beater = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, this.heartbeat.intervalMs);
    this.ticker = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, this.heartbeat.intervalMs);
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeat.beat();
    } catch (error) {
      this.logger.warn('job runner heartbeat failed', { error });
      // Soon the other runners will take these jobs: stop them first, so that none runs twice.
      if (this.heartbeat.losingJobs) for (const run of this.active.values()) run.controller.abort(new JobInterruptedError('the job runner lost the database'));
      return;
    }
    // A run another runner handed over (this one looked dead to it) is stopped here: it runs again under a new key.
    for (const run of [...this.active.values()]) {
      if (run.controller.signal.aborted) continue;
      if (await this.claims.isHandedOver(run.key).catch(() => false)) run.controller.abort(new JobInterruptedError('the job was handed over to another runner'));
    }
  }

  private async tick(): Promise<void> {
    try {
      for (const write of [...this.pendingPutBacks.values()]) await write();
      await this.takeOverOrphans();
      await this.heartbeat.forgetLongGone();
      await this.expireClaims();
    } catch (error) {
      this.logger.warn('job runner could not check for orphaned jobs', { error });
    }
  }

  /**
   * Run, handover and done claims would pile up forever, one set per run. FerretDB v1 has no TTL index
   * ("expireAfterSeconds is not implemented yet"), so every runner sweeps them now and then (a sweep is idempotent):
   * once older than the retention they go, except the current run's of a job not finished.
   */
  private async expireClaims(): Promise<void> {
    if (Date.now() < this.nextClaimExpiry) return;
    this.nextClaimExpiry = Date.now() + Math.min(3600_000, this.claimRetentionMs);
    await this.claims.expire(new Date(Date.now() - this.claimRetentionMs), async (jobIds) => {
      const ids = jobIds.filter((id) => ObjectId.isValid(id)).map((id) => new ObjectId(id));
      const docs = await this.jobs.find({ _id: { $in: ids } }).toArray();
      return docs.filter((doc) => doc.nextRunAt || doc.lockedAt || !(doc.lastFinishedAt || doc.failedAt)).map(keyOf);
    });
  }

  /**
   * Hands back the jobs locked by runners whose heartbeat stopped (killed, frozen, cut off), and repairs what lost
   * updates leave on FerretDB (an update there rewrites the whole document, so a put-back or agenda's own save can be
   * undone by a write racing it): a job whose run was handed over or put back but still carries that run, locked or
   * neither due nor finished, is put back again. Every repair is idempotent, so runners doing it at once agree.
   */
  private async takeOverOrphans(): Promise<void> {
    const live = await this.heartbeat.liveRunners();
    const suspects = await this.jobs.find({ $or: [{ lockedAt: { $ne: null } }, { nextRunAt: null, lastFinishedAt: null, failedAt: null }] }).toArray();
    for (const doc of suspects) {
      const key = keyOf(doc);
      if (this.active.has(key.jobId) || this.starting.has(key.jobId)) continue;
      // A completed run is never handed over, whoever holds its lock now and whatever its heartbeat says.
      if (await this.claims.isDone(key)) {
        await this.recordCompleted(key, doc);
        continue;
      }
      const claimed = await this.claims.holderOf(key);
      if (claimed?.startsWith(HANDED_OVER) || claimed === this.heartbeat.id || (claimed === undefined && !doc.lockedAt)) {
        // Handed over, or put back by this very runner, or never claimed and due for nothing: its put-back was lost.
        await this.putBack(key, 0, doc.transientFailures ?? 0);
        continue;
      }
      const holder = claimed ?? doc.lastModifiedBy ?? undefined;
      // A lock the holder itself took or renewed within the dead-runner delay is a sign of life too: on a loaded machine a
      // runner's heartbeat can lag while it still locks and runs jobs, and handing those over would run them twice. A
      // lock another runner's agenda took again after it expired (lastModifiedBy is that runner) says nothing of the holder.
      const lockedLately = !!doc.lockedAt && doc.lockedAt > new Date(Date.now() - this.heartbeat.deadAfterMs) && (claimed === undefined || doc.lastModifiedBy === claimed);
      if (lockedLately || (holder !== undefined && live.has(holder))) continue;
      const won = await this.claims.claimHandover(key, this.heartbeat.id);
      // The dead runner may still hold the job in its local queue: this run can no longer be claimed by anyone.
      await this.claims.claimRun(key, `${HANDED_OVER}${this.heartbeat.id}`);
      // It may have finished the run since the check above: a finished run is never put back.
      if (await this.claims.isDone(key)) {
        await this.recordCompleted(key, doc);
        continue;
      }
      await this.putBack(key, 0, doc.transientFailures ?? 0);
      if (won) this.logger.warn(`job ${doc.name} ${key.jobId} taken over from ${holder ?? 'an unknown runner'}, whose heartbeat stopped`);
    }
  }

  async enqueue(name: string, data: unknown): Promise<string> {
    if (!this.defined.has(name)) throw new Error(`No job "${name}" is defined: register it before enqueuing it`);
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
    const doc = await this.jobs.findOne({ _id: new ObjectId(id) });
    if (!doc) throw new NotFoundError(`Job ${id} not found`);
    // Rescheduling in place keeps the job id its callers hold; agenda has no public call for that.
    await this.jobs.updateOne(
      { _id: doc._id },
      {
        $set: {
          nextRunAt: new Date(), failedAt: null, failReason: null, failCount: 0, progress: 0, lockedAt: null,
          runGeneration: (doc.runGeneration ?? 0) + 1, transientFailures: 0,
        },
      },
    );
  }

  /** The most recently created jobs, newest first (the back office's jobs page). */
  async recent(limit: number): Promise<JobStatus[]> {
    const docs = await this.jobs.find({}).sort({ _id: -1 }).limit(limit).toArray();
    return docs.map((doc) => toStatus(doc as unknown as JobParams));
  }

  /** The runners that claimed each run of a job, oldest first (diagnostics and tests). */
  async runnersOf(id: string): Promise<string[]> {
    return (await this.claims.runsOf(id)).map((claim) => claim.runner);
  }

  /** A view for one plugin: names are namespaced so plugins cannot collide. */
  forPlugin(plugin: string): JobQueue {
    const prefix = `${plugin}.`;
    return {
      handle: (job) => ({ name: job.name, enqueue: (payload) => this.enqueue(prefix + job.name, payload) }),
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

  /**
   * Stops taking jobs and hands back the running ones at once: they are aborted (ffmpeg killed) and unlocked, so
   * another runner takes them without waiting for their lock to expire.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.ticker);
    clearInterval(this.beater);
    await this.ticking;
    await this.beating;
    await this.agenda.stop().catch((error: unknown) => this.logger.warn('job queue could not unlock its waiting jobs', { error }));
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(new JobInterruptedError('the job runner is stopping'));
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(runs.map((run) => run.done)), new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    // A job that ignores its abort signal is put back anyway: this process exits next.
    for (const run of this.active.values()) {
      this.detached.detach(run.key.jobId);
      await this.putBack(run.key, 0, 0);
    }
    for (const write of [...this.pendingPutBacks.values()]) await write().catch(() => undefined);
    await this.heartbeat.remove().catch((error: unknown) => this.logger.warn('job runner could not remove its heartbeat', { error }));
  }
}
