import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConnectionType, OpenVidu } from 'openvidu-node-client';
import { loopbackCamera } from './support/camera.js';
import { ffprobe } from './support/ffprobe.js';
import { basic } from './support/http.js';
import { otherMachine } from './support/machines.js';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { bucketReader, startSeaweedfs, type BucketReader, type S3Server } from './support/seaweedfs.js';
import { tempDir } from './support/tempDir.js';
import { waitFor } from './support/waitFor.js';

/**
 * With `storage.type` s3 a recording's tracks leave the media node once it stops, a worker with a disk of its own
 * finalizes it from the bucket, and the media node serves the final file from the bucket behind OpenVidu's credentials.
 */
describe('live: recordings on S3 storage (SeaweedFS), finalized by a worker with no shared disk', function () {
  this.timeout(240_000);
  let s3: S3Server;
  let bucket: BucketReader;
  let conf: TestConf;
  let workerConf: TestConf;
  const processes: RunningProcess[] = [];
  let camera: Awaited<ReturnType<typeof loopbackCamera>>;
  let ov: OpenVidu;
  let api: ReturnType<typeof openviduApi>;
  let liveUrl: string;

  const objects = (prefix: string) => bucket.objects(prefix);
  const objectBytes = (key: string) => bucket.objectBytes(key);

  before(async () => {
    camera = await loopbackCamera(120);
    s3 = await startSeaweedfs('mediahost-live');
    bucket = bucketReader(s3);
    conf = await makeConf({ plugins: ['live'], server: { storage: s3.settings, jobs: { runIn: [], pollIntervalMs: 200 }, outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
    liveUrl = await writeLiveConf(conf);
    const ws = await startProcess(conf, 'ws');
    workerConf = await otherMachine(conf, 'worker');
    processes.push(ws, await startProcess(workerConf, 'worker'));
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
    api = openviduApi(liveUrl);
    const session = await ov.createSession({ customSessionId: 'bucket' });
    await session.createConnection({ type: ConnectionType.IPCAM, rtspUri: camera.url });
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await camera?.close();
    bucket?.destroy();
    await s3?.stop();
  });

  for (const outputMode of ['COMPOSED', 'INDIVIDUAL'] as const) {
    it(`${outputMode}: stored in the bucket, listed, served by byte range behind the credentials, and deleted`, async () => {
      const name = `bucket-${outputMode.toLowerCase()}`;
      const started = await api('POST', '/openvidu/api/recordings/start', { session: 'bucket', outputMode, name, resolution: '320x240', frameRate: 15 });
      expect(started.status, JSON.stringify(started.body)).to.equal(200);
      const id = started.body.id as string;
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect((await api('POST', `/openvidu/api/recordings/stop/${id}`)).status).to.equal(200);
      const done = await waitFor(async () => {
        const { body } = await api('GET', `/openvidu/api/recordings/${id}`);
        return body.status === 'ready' || body.status === 'failed' ? body : undefined;
      }, 120_000, `recording ${id} to be finalized`);
      expect(done.status, JSON.stringify(done)).to.equal('ready');

      const fileName = outputMode === 'COMPOSED' ? `${name}.mp4` : `${name}.zip`;
      expect((await objects(`live/recordings/${id}/`)).sort()).to.deep.equal([`live/recordings/${id}/.recording.${id}`, `live/recordings/${id}/${fileName}`]);
      expect(done.url).to.equal(`${liveUrl}/openvidu/recordings/${id}/${fileName}`);
      const stored = await objectBytes(`live/recordings/${id}/${fileName}`);
      expect(done.size).to.equal(stored.length);
      expect((await api('GET', '/openvidu/api/recordings')).body.items.map((r: { id: string }) => r.id)).to.include(id);

      expect((await fetch(done.url)).status).to.equal(401);
      expect((await fetch(done.url, { headers: { Authorization: basic('OPENVIDUAPP', 'wrong') } })).status).to.equal(401);
      const auth = { Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) };
      const partial = await fetch(done.url, { headers: { ...auth, Range: 'bytes=10-109' } });
      expect(partial.status).to.equal(206);
      expect(partial.headers.get('content-range')).to.equal(`bytes 10-109/${stored.length}`);
      expect(Buffer.from(await partial.arrayBuffer()).equals(stored.subarray(10, 110))).to.equal(true);
      if (outputMode === 'COMPOSED') {
        const whole = await fetch(done.url, { headers: auth });
        const local = path.join(await tempDir('recording-'), fileName);
        await writeFile(local, Buffer.from(await whole.arrayBuffer()));
        expect((await ffprobe(local)).streams.some((s: { codec_type: string }) => s.codec_type === 'video')).to.equal(true);
      }

      // The tracks left the media node's disk when the recording stopped; the worker's scratch copies are gone.
      expect(existsSync(path.join(conf.dataDir, 'live', 'recordings', id))).to.equal(false);
      const scratch = path.join(workerConf.dataDir, 'scratch');
      const left = existsSync(scratch) ? (await readdir(scratch, { recursive: true, withFileTypes: true })).filter((e) => !e.isDirectory()) : [];
      expect(left.map((e) => path.join(e.parentPath, e.name))).to.deep.equal([]);

      expect((await api('DELETE', `/openvidu/api/recordings/${id}`)).status).to.equal(204);
      expect(await objects(`live/recordings/${id}/`)).to.deep.equal([]);
      expect((await fetch(done.url, { headers: auth })).status).to.equal(404);
    });
  }
});
