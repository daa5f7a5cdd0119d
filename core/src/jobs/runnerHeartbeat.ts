import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Collection, Db } from 'mongodb';

const RUNNERS_COLLECTION = 'core_job_runners';
/** Heartbeats missed before the other runners take a runner's jobs. */
const MISSED_BEATS = 3;

interface RunnerDoc {
  _id: string;
  beatAt: Date;
}

/**
 * Each process that runs jobs writes its heartbeat every few seconds. A runner whose heartbeat is older than
 * MISSED_BEATS beats is dead (killed, frozen, cut off from the database) and its jobs are handed to the others.
 */
export class RunnerHeartbeat {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly runners: Collection<RunnerDoc>;
  private lastBeat = 0;

  constructor(db: Db, readonly intervalMs: number) {
    this.runners = db.collection<RunnerDoc>(RUNNERS_COLLECTION);
  }

  get deadAfterMs(): number {
    return this.intervalMs * MISSED_BEATS;
  }

  async beat(): Promise<void> {
    const now = new Date();
    await this.runners.updateOne({ _id: this.id }, { $set: { beatAt: now } }, { upsert: true });
    this.lastBeat = now.getTime();
  }

  /**
   * True once this runner's own heartbeat has failed for long enough that the others may soon take its jobs:
   * it must then give them up before they do, so that no job runs twice.
   */
  get losingJobs(): boolean {
    return this.lastBeat > 0 && Date.now() - this.lastBeat > this.deadAfterMs - this.intervalMs;
  }

  async liveRunners(): Promise<Set<string>> {
    const live = await this.runners.find({ beatAt: { $gte: new Date(Date.now() - this.deadAfterMs) } }, { projection: { _id: 1 } }).toArray();
    return new Set(live.map((runner) => runner._id));
  }

  /** Heartbeats of runners gone for an hour are of no more use. */
  async forgetLongGone(): Promise<void> {
    await this.runners.deleteMany({ beatAt: { $lt: new Date(Date.now() - 3600_000) } });
  }

  /** A runner that stopped cleanly is dead at once. */
  async remove(): Promise<void> {
    await this.runners.deleteOne({ _id: this.id });
  }
}
