import { expect } from 'chai';
import type { Connection } from 'mongoose';
import winston from 'winston';
import { openTestDatabase } from '../../../test/support/globalDatabase.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { NotFoundError } from '../errors.js';
import { jobType } from './defineJob.js';
import { JobQueueService } from './jobQueue.js';
import type { JobStatus } from './types.js';

const silent = winston.createLogger({ silent: true });

describe('JobQueueService', () => {
  let db: Connection;
  let queue: JobQueueService;
  const attempts = new Map<string, number>();

  before(async () => {
    db = await openTestDatabase('jobs');
    queue = new JobQueueService(db, silent, 100);
    queue.define({
      name: 'demo.steps',
      async run(job) {
        await job.progress(50);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await job.progress(80);
      },
    });
    queue.define({
      name: 'demo.flaky',
      maxRetries: 3,
      retryDelayMs: 100,
      async run(job) {
        const key = (job.data as { key: string }).key;
        attempts.set(key, (attempts.get(key) ?? 0) + 1);
        if (attempts.get(key)! <= (job.data as { failures: number }).failures) throw new Error(`attempt ${job.attempt} failed`);
      },
    });
    queue.define({
      name: 'demo.quiet',
      lockLifetimeMs: 600,
      async run() {
        runs.quiet += 1;
        await new Promise((resolve) => setTimeout(resolve, 2500));
      },
    });
    await queue.startWorker();
  });
  const runs = { quiet: 0 };

  after(() => queue.stop());

  const settledStatus = (id: string) =>
    waitFor(async () => {
      const status = await queue.get(id);
      return status && (status.state === 'completed' || status.state === 'failed') ? status : undefined;
    }, 20_000, `job ${id} to settle`);

  it('persists a job, reports its progress while it runs, and completes it', async () => {
    const id = await queue.enqueue('demo.steps', { n: 1 });
    const running = await waitFor(async () => {
      const status = await queue.get(id);
      return status?.state === 'running' && status.progress === 50 ? status : undefined;
    }, 20_000, 'progress 50');
    expect(running.data).to.deep.equal({ n: 1 });
    const done = await settledStatus(id);
    expect(done).to.include({ state: 'completed', progress: 100, failCount: 0 });
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const id = await queue.enqueue('demo.flaky', { key: 'twice', failures: 2 });
    const done = await settledStatus(id);
    expect(done.state).to.equal('completed');
    expect(attempts.get('twice')).to.equal(3);
  });

  it('marks a job failed with its error once retries are exhausted, and runs it again on retry()', async () => {
    const id = await queue.enqueue('demo.flaky', { key: 'always', failures: 4 });
    const failed: JobStatus = await settledStatus(id);
    expect(failed.state).to.equal('failed');
    expect(failed.error).to.match(/attempt \d failed/);
    expect(attempts.get('always')).to.equal(4);
    await queue.retry(id);
    const done = await settledStatus(id);
    expect(done.state).to.equal('completed');
    expect(done.id).to.equal(id);
  });

  it('keeps the lock of a long job that reports no progress, so it is not started twice', async () => {
    const id = await queue.enqueue('demo.quiet', {});
    const done = await settledStatus(id);
    expect(done.state).to.equal('completed');
    expect(runs.quiet).to.equal(1);
  });

  it('keeps plugins apart: a plugin sees only its own jobs', async () => {
    const demo = queue.forPlugin('demo');
    const id = await demo.handle(jobType('steps')).enqueue({});
    expect((await demo.get(id))?.name).to.equal('steps');
    expect(await queue.forPlugin('other').get(id)).to.equal(undefined);
    try {
      await queue.forPlugin('other').retry(id);
      expect.fail('retry of another plugin job should fail');
    } catch (error) {
      expect(error).to.be.instanceOf(NotFoundError);
    }
    expect(await queue.get('nonsense')).to.equal(undefined);
  });
});

describe('JobQueueService across runners', () => {
  let db: Connection;
  const queues: JobQueueService[] = [];
  const runs: string[] = [];
  let completions = 0;
  let transientFailures = 0;

  function runner(label: string): JobQueueService {
    const queue = new JobQueueService(db, silent, 100, 200);
    queue.define({
      name: 'demo.long',
      lockLifetimeMs: 60_000,
      async run(job) {
        runs.push(label);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 1500);
          job.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(job.signal.reason as Error);
          });
        });
        completions += 1;
      },
    });
    queue.define({
      name: 'demo.diskFull',
      maxRetries: 0,
      retryDelayMs: 100,
      async run() {
        if (transientFailures < 2) {
          transientFailures += 1;
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
      },
    });
    queues.push(queue);
    return queue;
  }

  before(async () => {
    db = await openTestDatabase('jobrunners');
  });
  after(() => Promise.all(queues.map((queue) => queue.stop())));

  it('hands a running job to another runner as soon as its runner stops, and it completes once', async () => {
    const first = runner('first');
    await first.startWorker();
    const id = await first.enqueue('demo.long', {});
    await waitFor(() => runs.length === 1, 20_000, 'the first runner to start the job');
    const second = runner('second');
    await second.startWorker();
    await first.stop();
    const done = await waitFor(async () => {
      const status = await second.get(id);
      return status?.state === 'completed' ? status : undefined;
    }, 15_000, 'the second runner to complete the job, well before its 60 s lock expires');
    expect(runs).to.deep.equal(['first', 'second']);
    expect(completions).to.equal(1);
    expect(done.failCount).to.equal(0);
    expect(await second.runnersOf(id)).to.have.length(2);
  });

  it('retries a job failing for a transient reason (disk full) without counting it as an attempt', async () => {
    const queue = queues.at(-1)!;
    const id = await queue.enqueue('demo.diskFull', {});
    const done = await waitFor(async () => {
      const status = await queue.get(id);
      return status?.state === 'completed' || status?.state === 'failed' ? status : undefined;
    }, 20_000, 'the job to settle');
    expect(done.state).to.equal('completed');
    expect(transientFailures).to.equal(2);
  });
});

describe('JobQueueService claim expiry', () => {
  let db: Connection;
  let queue: JobQueueService;
  const runs = { quick: 0, slow: 0 };
  let releaseSlow!: () => void;
  const slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));

  before(async () => {
    db = await openTestDatabase('jobclaimexpiry');
    // Claims are kept 400 ms here (hours in production): the sweep runs at every heartbeat.
    queue = new JobQueueService(db, silent, 100, 200, 400);
    queue.define({ name: 'expiry.quick', run: async () => void (runs.quick += 1) });
    queue.define({
      name: 'expiry.slow',
      lockLifetimeMs: 60_000,
      run: async () => {
        runs.slow += 1;
        await slowReleased;
      },
    });
    await queue.startWorker();
  });
  after(() => queue.stop());

  const claimsOf = (jobId: string) => db.db!.collection<{ _id: string; jobId: string }>('core_job_claims').find({ jobId }).toArray();
  const stateOf = async (id: string) => (await queue.get(id))?.state;

  it("sweeps a finished run's claims once older than the retention, and keeps a running job's however old", async () => {
    const quick = await queue.enqueue('expiry.quick', {});
    await waitFor(async () => (await stateOf(quick)) === 'completed', 20_000, 'the quick job to complete');
    const slow = await queue.enqueue('expiry.slow', {});
    await waitFor(async () => (await claimsOf(slow)).some((c) => c._id.startsWith('run:')), 20_000, 'the slow job to be claimed');

    await waitFor(async () => (await claimsOf(quick)).length === 0, 20_000, "the quick job's claims to be swept");
    // Several retentions later the slow job, still running, keeps its claim: no other runner may start it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await claimsOf(slow)).map((c) => c._id.split(':')[0])).to.deep.equal(['run']);
    expect(await stateOf(slow)).to.equal('running');

    releaseSlow();
    await waitFor(async () => (await stateOf(slow)) === 'completed', 20_000, 'the slow job to complete');
    await waitFor(async () => (await claimsOf(slow)).length === 0, 20_000, "the slow job's claims to be swept");
    // Without their claims, finished jobs stay finished: neither ran again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(runs).to.deep.equal({ quick: 1, slow: 1 });
    expect([await stateOf(quick), await stateOf(slow)]).to.deep.equal(['completed', 'completed']);
  });
});
