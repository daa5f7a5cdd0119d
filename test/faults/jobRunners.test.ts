import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Types, type Connection } from 'mongoose';
import { bearerFor, request } from '../support/http.js';
import { makeSample } from '../support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from '../support/platform.js';
import { logLines, openPlatformDatabase, pidOf, runClaimsOf } from '../support/platformDatabase.js';
import { uploadFile } from '../support/tusUpload.js';
import { waitFor } from '../support/waitFor.js';

/** Long enough to be caught mid-way on a loaded machine; the lock is far longer than any bound below. */
const SLOW_LADDER = {
  qualities: [
    { name: '720p', height: 720, videoBitrateKbps: 2000 },
    { name: '360p', height: 360, videoBitrateKbps: 600 },
  ],
  preset: 'medium',
  transcodeLockSeconds: 600,
};
const LOCK_MS = SLOW_LADDER.transcodeLockSeconds * 1000;

interface Setup {
  conf: TestConf;
  ws: RunningProcess;
  auth: Record<string, string>;
  db: Connection;
}

interface FileRow {
  _id: string;
  encoding: { jobId?: string; status: string; progress: number };
}

async function setUp(runIn: string[]): Promise<Setup> {
  const conf = await makeConf({ files: { 'publishConf.json': SLOW_LADDER }, server: { jobs: { runIn, pollIntervalMs: 200, heartbeatMs: 500 } } });
  const ws = await startProcess(conf, 'ws');
  const credentials = JSON.parse((await runServerJs(['--create-application', 'ops', '--scopes', 'publish'], { conf })).stdout);
  const auth = await bearerFor(ws.url, credentials.clientId, credentials.clientSecret);
  return { conf, ws, auth, db: await openPlatformDatabase(conf) };
}

/** Uploads a 20 s 720p video and waits until its transcode is under way: its file id, job id and the runner holding it. */
async function transcodeUnderWay({ ws, auth, db }: Setup) {
  const sample = await readFile(await makeSample({ seconds: 20, width: 1280, height: 720 }));
  const { body } = await uploadFile(ws.url, auth, sample, 'long.mkv');
  const fileId = body.UUID as string;
  const jobId = await waitFor(async () => {
    const file = await db.collection<FileRow>('publish_files').findOne({ _id: fileId });
    return file?.encoding.status === 'running' && file.encoding.progress > 0 ? file.encoding.jobId : undefined;
  }, 90_000, 'the transcode to be under way');
  const [claim] = await runClaimsOf(db, jobId);
  return { fileId, jobId, runner: claim!.runner };
}

/** The file is ready and whole, the job ran to its end exactly once, did not count as failed, and nothing logged an error. */
async function finishedOnce(setup: Setup, fileId: string, jobId: string) {
  const { ws, auth, conf, db } = setup;
  await waitFor(async () => (await request(`${ws.url}/publish/videos/${fileId}`, { headers: auth })).body.entity?.state === 11, 240_000, 'the transcode to complete');
  const variant = await readFile(path.join(conf.dataDir, 'storage', 'publish', 'files', fileId, 'media', '720p', 'video.m3u8'), 'utf8');
  expect(variant).to.contain('#EXT-X-ENDLIST');
  // The file is ready before the job records its own end (and the log reaches its file): wait for that line, then count.
  const completed = new RegExp(`job ${jobId} completed`);
  await waitFor(async () => (await logLines(conf, completed)).length > 0, 30_000, 'the job to log its completion');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await logLines(conf, completed)).to.have.length(1);
  const job = await db.collection('core_jobs').findOne({ _id: new Types.ObjectId(jobId) });
  expect(job?.failCount ?? 0).to.equal(0);
  expect(await logLines(conf, /"level":"error"/)).to.deep.equal([]);
}

const claimedBy = (db: Connection, jobId: string, pid: number | undefined) =>
  waitFor(async () => {
    const all = await runClaimsOf(db, jobId);
    return all.some((claim) => pidOf(claim.runner) === pid) ? all : undefined;
  }, 30_000, `runner ${pid} to take the job over`);

describe('faults: job runners', function () {
  // two partial transcodes of a 20 s 720p video on a loaded machine: the waits inside bound each step
  this.timeout(420_000);
  const processes: RunningProcess[] = [];
  let setup: Setup | undefined;
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await setup?.ws.stop();
    await setup?.db.close();
  });

  it('takes over the transcode of a runner killed with SIGKILL as soon as its heartbeat stops, not after its lock, and finishes it once', async () => {
    setup = await setUp([]);
    const first = await startProcess(setup.conf, 'worker');
    processes.push(first);
    const { fileId, jobId, runner } = await transcodeUnderWay(setup);
    expect(pidOf(runner)).to.equal(first.child.pid);

    await first.stop('SIGKILL');
    const restarted = await startProcess(setup.conf, 'worker');
    processes.push(restarted);
    const restartedAt = Date.now();
    const claims = await claimedBy(setup.db, jobId, restarted.child.pid);
    expect(Date.now() - restartedAt).to.be.below(LOCK_MS / 10);
    // the dead runner's run, then the new one (a tombstone in between keeps the dead run from being claimed again)
    const runs = claims.filter((claim) => !claim.runner.startsWith('handed over'));
    expect(runs.map((claim) => pidOf(claim.runner))).to.deep.equal([first.child.pid, restarted.child.pid]);
    await finishedOnce(setup, fileId, jobId);
  });

  it('hands a transcode back at once when its runner is stopped with SIGTERM: another runner finishes it, once', async () => {
    setup = await setUp(['app']);
    const [app, worker] = await Promise.all([startProcess(setup.conf, 'app'), startProcess(setup.conf, 'worker')]);
    processes.push(app, worker);
    const { fileId, jobId, runner } = await transcodeUnderWay(setup);
    const [holder, other] = pidOf(runner) === app.child.pid ? [app, worker] : [worker, app];
    expect(pidOf(runner)).to.equal(holder.child.pid);

    const stoppedAt = Date.now();
    expect(await holder.stop('SIGTERM')).to.equal(0);
    const claims = await claimedBy(setup.db, jobId, other.child.pid);
    expect(Date.now() - stoppedAt).to.be.below(LOCK_MS / 10);
    expect(claims.map((claim) => pidOf(claim.runner))).to.deep.equal([holder.child.pid, other.child.pid]);
    await finishedOnce(setup, fileId, jobId);
  });
});
