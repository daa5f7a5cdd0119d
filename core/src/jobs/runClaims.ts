import type { Collection, Db } from 'mongodb';

const CLAIMS_COLLECTION = 'core_job_claims';

/**
 * Which run of a job this is. The queue bumps `generation` whenever it puts a job back itself (handed over, released
 * on stop, retried after a transient failure or by an operator); agenda bumps `failCount` when a run fails.
 */
export interface RunKey {
  jobId: string;
  generation: number;
  failCount: number;
}

interface ClaimDoc {
  _id: string;
  jobId: string;
  runner: string;
  at: Date;
}

const keyOf = ({ jobId, generation, failCount }: RunKey) => `${jobId}:${generation}:${failCount}`;
/** Old claims looked at per expiry pass; the rest wait for the next pass. */
const EXPIRY_BATCH = 1000;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/**
 * FerretDB does not make conditional updates atomic, so two runners may both lock the same job: the one that inserts
 * the run's claim under its unique _id runs it, the other leaves it alone.
 */
export class RunClaims {
  private readonly claims: Collection<ClaimDoc>;

  constructor(db: Db) {
    this.claims = db.collection<ClaimDoc>(CLAIMS_COLLECTION);
  }

  /** Claims a run for `runner`; resolves with the runner already holding it when another one won. */
  async claimRun(key: RunKey, runner: string): Promise<string | undefined> {
    const _id = `run:${keyOf(key)}`;
    try {
      await this.claims.insertOne({ _id, jobId: key.jobId, runner, at: new Date() });
      return undefined;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      return (await this.claims.findOne({ _id }))?.runner ?? 'unknown';
    }
  }

  async holderOf(key: RunKey): Promise<string | undefined> {
    return (await this.claims.findOne({ _id: `run:${keyOf(key)}` }))?.runner;
  }

  /** Only one runner may hand a given run over, else two could each start a new one. */
  async claimHandover(key: RunKey, runner: string): Promise<boolean> {
    try {
      await this.claims.insertOne({ _id: `handover:${keyOf(key)}`, jobId: key.jobId, runner, at: new Date() });
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  /** Whether a run was handed over to another runner: its runner must stop it, the job runs again under a new key. */
  async isHandedOver(key: RunKey): Promise<boolean> {
    return (await this.claims.countDocuments({ _id: `handover:${keyOf(key)}` })) > 0;
  }

  /** Records that a run finished (completed or failed for good); a second record is no error. */
  async markDone(key: RunKey, runner: string): Promise<void> {
    try {
      await this.claims.insertOne({ _id: `done:${keyOf(key)}`, jobId: key.jobId, runner, at: new Date() });
    } catch (error) {
      if (!isDuplicate(error)) throw error;
    }
  }

  async isDone(key: RunKey): Promise<boolean> {
    return (await this.claims.countDocuments({ _id: `done:${keyOf(key)}` })) > 0;
  }

  /**
   * Removes claims written before `before`, except those of the runs `stillGuarded` names among their jobs (the current
   * run of a job not finished yet: a transcode may outlast any retention). Returns how many went.
   */
  async expire(before: Date, stillGuarded: (jobIds: string[]) => Promise<RunKey[]>): Promise<number> {
    const old = await this.claims.find({ at: { $lt: before } }).limit(EXPIRY_BATCH).toArray();
    if (!old.length) return 0;
    const guarded = new Set((await stillGuarded([...new Set(old.map((claim) => claim.jobId))])).map(keyOf));
    // A claim's _id is `<kind>:<run key>`.
    const expired = old.filter((claim) => !guarded.has(claim._id.slice(claim._id.indexOf(':') + 1))).map((claim) => claim._id);
    if (expired.length) await this.claims.deleteMany({ _id: { $in: expired } });
    return expired.length;
  }

  /** Every run claimed for a job, oldest first (tests and diagnostics). */
  async runsOf(jobId: string): Promise<ClaimDoc[]> {
    return this.claims.find({ jobId, _id: { $regex: '^run:' } }).sort({ at: 1 }).toArray();
  }
}
