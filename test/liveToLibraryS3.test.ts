import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loopbackCamera } from './support/camera.js';
import { playPublished } from './support/hlsPlayback.js';
import { bearerFor, request } from './support/http.js';
import { otherMachine } from './support/machines.js';
import { openviduApi, writeLiveConf } from './support/openvidu.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { recordedSession } from './support/recordedSession.js';
import { bucketReader, startSeaweedfs, type BucketReader, type S3Server } from './support/seaweedfs.js';
import { waitFor } from './support/waitFor.js';

/**
 * Live → VOD on S3 storage: the recording is finalized and handed over by a worker with no shared disk, reading it
 * from the bucket; the video's source and media land in publish's part of the bucket and play from there.
 */
describe('flows: a live recording becomes a video of the library, on S3 storage with a worker of its own', function () {
  this.timeout(400_000);
  let s3: S3Server;
  let bucket: BucketReader;
  let conf: TestConf;
  let workerConf: TestConf;
  const processes: RunningProcess[] = [];
  let camera: Awaited<ReturnType<typeof loopbackCamera>>;

  before(async () => {
    camera = await loopbackCamera(120);
    s3 = await startSeaweedfs('mediahost-flows');
    bucket = bucketReader(s3);
    conf = await makeConf({
      server: { storage: s3.settings, jobs: { runIn: [], pollIntervalMs: 200 }, outbound: { allowedNetworks: ['127.0.0.1/32'] } },
      files: { 'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }, { name: '144p', height: 144, videoBitrateKbps: 150 }], preset: 'ultrafast', segmentSeconds: 2, thumbnails: { count: 2, width: 160 } } },
    });
    await writeLiveConf(conf, { recording: { autostopTimeout: 1, publishToLibrary: 'COMPOSED' } });
    processes.push(...(await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')])));
    workerConf = await otherMachine(conf, 'worker');
    processes.push(await startProcess(workerConf, 'worker'));
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await camera?.close();
    bucket?.destroy();
    await s3?.stop();
  });

  it('publishes a COMPOSED recording into the bucket and plays it', async () => {
    const [app, ws] = processes as [RunningProcess, RunningProcess];
    const { clientId, clientSecret } = JSON.parse((await runServerJs(['--create-application', 'broadcaster', '--scopes', 'live,publish'], { conf })).stdout);
    const auth = await bearerFor(ws.url, clientId, clientSecret);
    const { id } = await recordedSession(openviduApi(`http://127.0.0.1:${conf.livePort}`, auth.Authorization), path.join(conf.dataDir, 'live', 'recordings'), [camera.url], 'stored', 'COMPOSED');
    const video = await waitFor(async () => {
      const listed = await request(`${ws.url}/publish/videos?limit=100`, { headers: auth });
      const found = (listed.body.entities as { id: string; state: number; origin?: { recordingId: string } }[]).find((v) => v.origin?.recordingId === id);
      return found && found.state !== 1 ? found : undefined;
    }, 300_000, `the recording ${id} to be a ready video`);
    expect(video.state, 'READY').to.equal(11);
    const stored = await bucket.objects(`publish/files/${video.id}/`);
    expect(stored.some((key) => /\/source$/.test(key)), 'the source').to.equal(true);
    expect(stored.some((key) => key.endsWith('/media/master.m3u8')), 'the master playlist').to.equal(true);
    expect(await playPublished(app.url, video.id)).to.have.members(['426x240', '256x144']);
    const staged = await readdir(path.join(workerConf.dataDir, 'storage', 'publish', 'incoming')).catch(() => [] as string[]);
    expect(staged.filter((name) => name.startsWith('import-')), 'no hand-over copy left on the worker').to.deep.equal([]);
  });
});
