import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import mongoose from 'mongoose';
import { databaseUri } from './support/globalDatabase.js';
import { bearerFor, request } from './support/http.js';
import { otherMachine } from './support/machines.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { startSeaweedfs, type S3Server } from './support/seaweedfs.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const ladder = { qualities: [{ name: '144p', height: 144, videoBitrateKbps: 150 }], segmentSeconds: 2, thumbnails: { count: 1 }, preset: 'ultrafast' };
const UPLOADS = 20;

interface ClaimDoc {
  _id: string;
  jobId: string;
  runner: string;
}

/**
 * The deployment of docs/deploy.md on loopback: the back office, 2 web services and 3 workers, each with a data folder
 * of its own, sharing FerretDB and a SeaweedFS bucket. 20 uploads spread over both web services; one worker (while it
 * transcodes) and one web service are killed midway. Every file becomes playable, and no transcode completes twice.
 */
describe('scale-out: back office, 2 web services, 3 workers, SeaweedFS and FerretDB', function () {
  this.timeout(600_000);
  let s3: S3Server;
  let conf: TestConf;
  const processes: RunningProcess[] = [];
  let db: mongoose.Connection;

  before(async () => {
    s3 = await startSeaweedfs('mediahost-scale');
    conf = await makeConf({
      plugins: ['publish'],
      server: { storage: s3.settings, jobs: { runIn: [], pollIntervalMs: 200, heartbeatMs: 500 } },
      files: { 'publishConf.json': ladder },
    });
    processes.push(await startProcess(conf, 'app'));
    db = await mongoose.createConnection(databaseUri(), { dbName: conf.database }).asPromise();
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db?.close();
    await s3?.stop();
  });

  it('makes all 20 uploads playable with a worker and a web service killed midway, transcoding none twice', async () => {
    const [ws1Conf, ws2Conf, ...workerConfs] = await Promise.all(['ws1', 'ws2', 'w1', 'w2', 'w3'].map((name) => otherMachine(conf, name)));
    const [ws1, ws2] = await Promise.all([startProcess(ws1Conf!, 'ws'), startProcess(ws2Conf!, 'ws')]);
    const workers = await Promise.all(workerConfs.map((c) => startProcess(c, 'worker')));
    processes.push(ws1!, ws2!, ...workers);
    const credentials = JSON.parse((await runServerJs(['--create-application', 'scale', '--scopes', 'publish'], { conf })).stdout);
    const auths = [await bearerFor(ws1!.url, credentials.clientId, credentials.clientSecret), await bearerFor(ws2!.url, credentials.clientId, credentials.clientSecret)];

    // Distinct bytes each (lengths differ), so none is deduplicated into another's transcode.
    const samples = await Promise.all(Array.from({ length: UPLOADS }, (_, i) => makeSample({ seconds: 3 + i * 0.2, width: 320, height: 180 }).then((file) => readFile(file))));
    const uploaded = await Promise.all(
      samples.map(async (bytes, i) => {
        const ws = i % 2 ? ws2! : ws1!;
        const url = await tusUpload(bytes, { endpoint: `${ws.url}/publish/api/uploads`, headers: auths[i % 2]!, metadata: { filename: `clip-${i}.mkv` } }).done;
        // Finalizing is idempotent: a 503 (the database too busy for a moment) is retried after its Retry-After, as a client does.
        for (;;) {
          const response = await fetch(`${ws.url}/publish/api/uploads/${url.split('/').pop()}/finalize`, { method: 'POST', headers: auths[i % 2]! });
          const body = await response.json();
          if (response.status === 503) {
            await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
            continue;
          }
          expect(response.status, `upload ${i}: ${JSON.stringify(body)}`).to.equal(200);
          return body.UUID as string;
        }
      }),
    );
    expect(new Set(uploaded).size).to.equal(UPLOADS);

    // Midway: a worker dies with a transcode in its hands, and so does a web service.
    const claims = db.db!.collection<ClaimDoc>('core_job_claims');
    // A run claim stays after its run completes (beside a done: claim of the same key): only one without it is in hand.
    const runsInHand = async () => {
      const done = new Set((await claims.find({ _id: { $regex: '^done:' } }).toArray()).map((claim) => claim._id.slice('done:'.length)));
      return (await claims.find({ _id: { $regex: '^run:' } }).toArray()).filter((run) => !done.has(run._id.slice('run:'.length)));
    };
    const heldBy = (pid: string, runs: ClaimDoc[]) => runs.filter((run) => run.runner.split(':')[1] === pid);
    const victim = await waitFor(async () => {
      const runs = await runsInHand();
      return workers.find((w) => heldBy(String(w.child.pid), runs).length > 0);
    }, 120_000, 'a worker to have a transcode in hand');
    const victimPid = String(victim.child.pid);
    await Promise.all([victim.stop('SIGKILL'), ws2!.stop('SIGKILL')]);
    // What it had not finished when it died (it may have finished others before: those stay its own).
    const interrupted = new Set(heldBy(victimPid, await runsInHand()).map((run) => run.jobId));

    await waitFor(async () => {
      const states = await Promise.all(uploaded.map(async (id) => (await request(`${ws1!.url}/publish/videos/${id}`, { headers: auths[0]! })).body.entity?.state));
      return states.every((state) => state === 11);
    }, 480_000, 'all 20 files to become ready');

    // Playable: the player page sets the media cookie and the master playlist and a segment come from the bucket.
    for (const id of uploaded) {
      const page = await fetch(`${processes[0]!.url}/publish/v/${id}`);
      const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
      const master = await fetch(`${processes[0]!.url}/publish/${id}/stream/multi/master.m3u8`, { headers: { Cookie: cookie } });
      expect(master.status, `master of ${id}`).to.equal(200);
      expect((await fetch(`${processes[0]!.url}/publish/${id}/144p/seg_00000.ts`, { headers: { Cookie: cookie } })).status).to.equal(200);
    }

    // Nothing transcoded twice: each transcode job completed exactly once (one done:<run> record), by a live worker. A run
    // may have been started again when its runner died (the killed worker) or looked dead (a heartbeat late under this
    // load): the earlier run was then stopped, never completed.
    const jobs = await db.db!.collection<{ _id: mongoose.Types.ObjectId; name: string; data: { fileId: string } }>('core_jobs').find({ name: 'publish.transcode' }).toArray();
    expect(jobs.map((j) => j.data.fileId).sort()).to.deep.equal([...uploaded].sort());
    for (const job of jobs) {
      const jobId = job._id.toHexString();
      const completed = await claims.find({ jobId, _id: { $regex: '^done:' } }).toArray();
      expect(completed, `completed runs of ${job.data.fileId}`).to.have.length(1);
      if (interrupted.has(jobId)) expect(completed[0]!.runner.split(':')[1], `the interrupted transcode of ${job.data.fileId}`).to.not.equal(victimPid);
    }
    expect(interrupted.size, 'the killed worker had a transcode in hand').to.be.at.least(1);

    // The killed worker's scratch folder (its source copy, its half-made outputs) is removed when its machine starts again.
    const victimConf = workerConfs[workers.indexOf(victim)]!;
    const victimScratch = path.join(victimConf.dataDir, 'scratch', victimPid);
    expect(existsSync(victimScratch), 'the killed worker left its scratch folder').to.equal(true);
    processes.push(await startProcess(victimConf, 'worker'));
    expect(existsSync(victimScratch)).to.equal(false);

    const client = new S3Client({ endpoint: s3.settings.endpoint, region: s3.settings.region, forcePathStyle: true, credentials: s3.settings });
    for (const id of uploaded) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: `publish/files/${id}/media/` }));
      expect(listed.KeyCount, `media of ${id} in the bucket`).to.be.greaterThan(3);
    }
    client.destroy();
  });
});
