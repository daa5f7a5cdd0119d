import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { bearerFor, request } from './support/http.js';
import { otherMachine } from './support/machines.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { bucketReader, startSeaweedfs, type BucketReader, type S3Server } from './support/seaweedfs.js';
import { uploadFile } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const ladder = { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], segmentSeconds: 2, thumbnails: { count: 2 } };

describe('publish on S3 storage (SeaweedFS), transcoded by a worker with no shared disk', function () {
  this.timeout(240_000);
  let s3: S3Server;
  let bucket: BucketReader;
  let conf: TestConf;
  let workerConf: TestConf;
  const processes: RunningProcess[] = [];
  let auth: Record<string, string>;
  let appUrl: string;
  let fileId: string;
  let cookie: string;

  const objects = (prefix: string) => bucket.objects(prefix);
  const objectBytes = (key: string) => bucket.objectBytes(key);

  before(async () => {
    s3 = await startSeaweedfs('mediahost-publish');
    bucket = bucketReader(s3);
    // The back office and the web service run no jobs: only the worker, on its own disk, can transcode.
    conf = await makeConf({ server: { storage: s3.settings, jobs: { runIn: [], pollIntervalMs: 200 } }, files: { 'publishConf.json': ladder } });
    const app = await startProcess(conf, 'app');
    workerConf = await otherMachine(conf, 'worker');
    const [ws, worker] = await Promise.all([startProcess(conf, 'ws'), startProcess(workerConf, 'worker')]);
    processes.push(app, ws, worker);
    appUrl = app.url;
    const credentials = JSON.parse((await runServerJs(['--create-application', 'ops', '--scopes', 'publish'], { conf })).stdout);
    auth = await bearerFor(ws.url, credentials.clientId, credentials.clientSecret);

    const sample = await readFile(await makeSample({ seconds: 4, subtitles: true }));
    const { status, body } = await uploadFile(ws.url, auth, sample, 'clip.mkv');
    expect(status).to.equal(200);
    fileId = body.UUID as string;
    await waitFor(async () => (await request(`${ws.url}/publish/videos/${fileId}`, { headers: auth })).body.entity?.state === 11, 180_000, 'the file to become ready');
    const page = await fetch(`${appUrl}/publish/v/${fileId}`);
    cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    bucket?.destroy();
    await s3?.stop();
  });

  it('keeps the source and every transcode output in the bucket, and no media on any local disk', async () => {
    const keys = await objects(`publish/files/${fileId}/`);
    expect(keys).to.include(`publish/files/${fileId}/source.mkv`);
    for (const part of ['media/master.m3u8', 'media/muted.m3u8', 'media/240p/video.m3u8', 'media/240p/seg_00000.ts', 'media/thumbs/poster.jpg', 'media/thumbs/thumb_001.jpg']) {
      expect(keys).to.include(`publish/files/${fileId}/${part}`);
    }
    expect(keys.some((k) => k.endsWith('.mkv') && k.includes('/media/240p/'))).to.equal(true);
    for (const dataDir of [conf.dataDir, workerConf.dataDir]) {
      expect(existsSync(path.join(dataDir, 'storage', 'publish', 'files', fileId))).to.equal(false);
    }
    // The worker fetched the source into a scratch folder and removed it: nothing of the job is left on its disk.
    for (const folder of ['storage', 'scratch']) {
      const dir = path.join(workerConf.dataDir, folder);
      const left = existsSync(dir) ? (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => !e.isDirectory()) : [];
      expect(left.map((e) => path.join(e.parentPath, e.name))).to.deep.equal([]);
    }
  });

  it('streams media from the bucket behind the media cookie, with byte ranges and conditional GET', async () => {
    const url = `${appUrl}/publish/${fileId}/240p/seg_00000.ts`;
    expect((await fetch(url)).status).to.equal(403);
    const stored = await objectBytes(`publish/files/${fileId}/media/240p/seg_00000.ts`);

    const whole = await fetch(url, { headers: { Cookie: cookie } });
    expect(whole.status).to.equal(200);
    expect(whole.headers.get('content-type')).to.equal('video/mp2t');
    expect(whole.headers.get('accept-ranges')).to.equal('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).to.deep.equal(stored);

    const partial = await fetch(url, { headers: { Cookie: cookie, Range: 'bytes=188-375' } });
    expect(partial.status).to.equal(206);
    expect(partial.headers.get('content-range')).to.equal(`bytes 188-375/${stored.length}`);
    expect(Buffer.from(await partial.arrayBuffer())).to.deep.equal(stored.subarray(188, 376));
    const tail = await fetch(url, { headers: { Cookie: cookie, Range: 'bytes=-100' } });
    expect(Buffer.from(await tail.arrayBuffer())).to.deep.equal(stored.subarray(stored.length - 100));

    const beyond = await fetch(url, { headers: { Cookie: cookie, Range: `bytes=${stored.length}-` } });
    expect(beyond.status).to.equal(416);
    expect(beyond.headers.get('content-range')).to.equal(`bytes */${stored.length}`);

    const again = await fetch(url, { headers: { Cookie: cookie, 'If-None-Match': whole.headers.get('etag')! } });
    expect(again.status).to.equal(304);
    const head = await fetch(url, { method: 'HEAD', headers: { Cookie: cookie } });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-length')).to.equal(String(stored.length));

    const master = await fetch(`${appUrl}/publish/${fileId}/stream/multi/master.m3u8`, { headers: { Cookie: cookie } });
    expect(await master.text()).to.contain('240p/video.m3u8');
    expect((await fetch(`${appUrl}/publish/${fileId}/240p/seg_99999.ts`, { headers: { Cookie: cookie } })).status).to.equal(404);
  });

  it('copies the media of an identical upload inside the bucket, and deleting a file deletes its objects', async () => {
    const ws = processes[1]!;
    const sample = await objectBytes(`publish/files/${fileId}/source.mkv`);
    const { body } = await uploadFile(ws.url, auth, sample, 'same bytes.mkv');
    const twin = body.UUID as string;
    await waitFor(async () => (await request(`${ws.url}/publish/videos/${twin}`, { headers: auth })).body.entity?.state === 11, 60_000, 'the twin to be ready');
    expect((await objects(`publish/files/${twin}/media/`)).length).to.equal((await objects(`publish/files/${fileId}/media/`)).length);

    const removed = await request(`${ws.url}/publish/api/file`, { method: 'DELETE', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ LinkID: body.ID }) });
    expect(removed.status).to.equal(200);
    expect(await objects(`publish/files/${twin}/`)).to.deep.equal([]);
    expect(await objects(`publish/files/${fileId}/media/`)).to.not.deep.equal([]);
  });

  it('never writes the S3 secret key to a log', async () => {
    for (const dir of [conf.logDir]) {
      for (const name of await readdir(dir)) expect(await readFile(path.join(dir, name), 'utf8'), name).to.not.contain(s3.settings.secretAccessKey);
    }
    for (const running of processes) expect(running.output()).to.not.contain(s3.settings.secretAccessKey);
  });
});
