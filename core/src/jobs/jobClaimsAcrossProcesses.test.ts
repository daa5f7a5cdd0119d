import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mongoose';
import winston from 'winston';
import { databaseUri, openTestDatabase } from '../../../test/support/globalDatabase.js';
import { track } from '../../../test/support/serverProcesses.js';
import { tempDir } from '../../../test/support/tempDir.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { JobQueueService } from './jobQueue.js';

const runnerScript = fileURLToPath(new URL('../../test-support/jobRunnerProcess.ts', import.meta.url));

interface RaceEvent {
  jobId: string;
  kind: 'start' | 'done';
  runner: string;
  at: Date;
}

/**
 * Runners in separate processes on the embedded FerretDB, where findAndModify and conditional updates are not atomic:
 * only the claim inserted under a unique _id keeps a job from running twice.
 */
describe('Job claims across processes (FerretDB)', function () {
  this.timeout(180_000);
  let db: Connection;
  let queue: JobQueueService;
  const runners: ChildProcess[] = [];

  async function startRunner(label: string): Promise<ChildProcess> {
    // tsx keeps its cache in TMPDIR: one of the test's own, removed with the run.
    const env = { ...process.env, TMPDIR: await tempDir('runner-'), RACE_HEARTBEAT_MS: '2000' };
    const child = track(spawn(process.execPath, ['--import', 'tsx', runnerScript, databaseUri(), db.name, label], { stdio: ['pipe', 'pipe', 'inherit'], env }));
    runners.push(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes('ready') || child.exitCode !== null, 60_000, `runner ${label} to start`);
    if (child.exitCode !== null) throw new Error(`runner ${label} exited with ${child.exitCode}`);
    return child;
  }
  const stopRunner = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end();
    await once(child, 'exit');
  };
  const events = () => db.db!.collection<RaceEvent>('race_events').find({}).sort({ at: 1 }).toArray();

  before(async () => {
    db = await openTestDatabase('jobclaims');
    // This process only enqueues: it never starts a worker, so the run below is never called here.
    queue = new JobQueueService(db, winston.createLogger({ silent: true }), 100);
    queue.define({ name: 'race.work', run: () => Promise.reject(new Error('the enqueuing process must not run jobs')) });
    await queue.ready();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map(stopRunner));
  });

  it('4 runner processes racing over 80 jobs run each exactly once', async () => {
    const labels = ['r1', 'r2', 'r3', 'r4'];
    await Promise.all(labels.map(startRunner));
    const ids = await Promise.all(Array.from({ length: 80 }, (_, i) => queue.enqueue('race.work', { ms: 50 + (i % 5) * 40 })));
    await waitFor(async () => {
      const states = await Promise.all(ids.map((id) => queue.get(id)));
      return states.every((s) => s?.state === 'completed');
    }, 150_000, 'all 80 jobs to complete');

    const seen = await events();
    for (const id of ids) {
      const mine = seen.filter((e) => e.jobId === id);
      // A run may still be handed over from a runner whose heartbeat lagged (a loaded machine), but its runner then
      // stops it before or while it starts: the job body itself starts once and completes once.
      expect(mine.map((e) => e.kind), `events of job ${id}`).to.deep.equal(['start', 'done']);
    }
    const byRunner = new Set(seen.map((e) => e.runner));
    expect(byRunner.size, 'jobs spread over several runner processes').to.be.greaterThan(1);
  });

  it('a runner killed with SIGKILL mid-job has its job finished by another, long before the lock would expire', async () => {
    const doomed = await startRunner('doomed');
    const id = await queue.enqueue('race.work', { ms: 4000 });
    await waitFor(async () => (await events()).some((e) => e.jobId === id && e.kind === 'start'), 30_000, 'the doomed runner to start the job');
    // Killed before the survivor starts: starting a runner can take longer than the job on a loaded machine.
    doomed.kill('SIGKILL');
    await once(doomed, 'exit');
    const killedAt = Date.now();
    const survivor = await startRunner('survivor');

    await waitFor(async () => (await queue.get(id))?.state === 'completed', 50_000, 'the survivor to finish the job');
    const mine = (await events()).filter((e) => e.jobId === id);
    expect(mine.map((e) => `${e.kind}:${e.runner}`)).to.deep.equal(['start:doomed', 'start:survivor', 'done:survivor']);
    // Taken over on the dead runner's heartbeat (three 2 s beats), not on agenda's expiry of its 60 s lock.
    expect(mine[1]!.at.getTime() - killedAt, 'restarted before the lock expired').to.be.lessThan(60_000);
    expect(survivor.exitCode).to.equal(null);
    expect(await queue.runnersOf(id)).to.have.length(2);
  });
});
