import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { otherMachine } from './support/machines.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { bucketReader, startSeaweedfs, type BucketReader, type S3Server } from './support/seaweedfs.js';
import { waitFor } from './support/waitFor.js';
import { wevClient } from './support/wev.js';

/**
 * With `storage.type` s3 the editor keeps uploads, proxies, custom fonts and exports in the bucket: the back office and
 * the web service run no jobs, and a worker with a disk of its own ingests and renders, fetching its inputs into a
 * scratch folder it removes.
 */
describe('editor on S3 storage (SeaweedFS), its jobs on a worker with no shared disk', function () {
  this.timeout(240_000);
  let s3: S3Server;
  let bucket: BucketReader;
  let conf: TestConf;
  let workerConf: TestConf;
  const processes: RunningProcess[] = [];
  let fontSite: http.Server;
  let wev: ReturnType<typeof wevClient>;
  let otherWev: ReturnType<typeof wevClient>;
  let clip: Buffer;

  const objects = (prefix: string) => bucket.objects(prefix);
  const objectBytes = (key: string) => bucket.objectBytes(key);

  before(async () => {
    clip = await readFile(await makeSample({ seconds: 3, width: 640, height: 360 }));
    const font = await readFile('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf');
    fontSite = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'font/ttf' }).end(font));
    await new Promise<void>((resolve) => fontSite.listen(0, '127.0.0.1', resolve));
    s3 = await startSeaweedfs('mediahost-editor');
    bucket = bucketReader(s3);
    conf = await makeConf({
      plugins: ['editor'],
      server: { storage: s3.settings, jobs: { runIn: [], pollIntervalMs: 200 }, outbound: { allowedNetworks: ['127.0.0.1/32'] } },
      files: { 'editorConf.json': { proxy: { preset: 'ultrafast' }, export: { preset: 'ultrafast', width: 320, height: 180 } } },
    });
    const app = await startProcess(conf, 'app');
    workerConf = await otherMachine(conf, 'worker');
    const [ws, worker] = await Promise.all([startProcess(conf, 'ws'), startProcess(workerConf, 'worker')]);
    processes.push(app, ws, worker);
    const partner = JSON.parse((await runServerJs(['--create-application', 'partner', '--scopes', 'editor'], { conf })).stdout);
    const other = JSON.parse((await runServerJs(['--create-application', 'other', '--scopes', 'editor'], { conf })).stdout);
    wev = wevClient(`${ws.url}/editor`, partner.clientId, partner.clientSecret);
    otherWev = wevClient(`${ws.url}/editor`, other.clientId, other.clientSecret);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await new Promise((resolve) => fontSite?.close(resolve));
    bucket?.destroy();
    await s3?.stop();
  });

  it('ingests an upload, renders an export with a custom font, all in the bucket, and serves the export by byte range behind its signed URL', async () => {
    const owner = (await wev('POST', '/api/3/users', { body: { email: 'bucket@example.com' } })).body as { userId: number; instanceId: number };
    const fontUrl = `http://127.0.0.1:${(fontSite.address() as AddressInfo).port}/Bold.ttf`;
    expect((await wev('POST', `/api/4/instance/${owner.instanceId}/fonts`, { body: { url: fontUrl, name: 'Bold' } })).body).to.deep.equal({ success: true });
    expect((await objects(`editor/fonts/${owner.instanceId}/`)).length).to.equal(1);

    const [ticket] = (await wev('POST', '/api/4/files/upload', { body: { fileData: [{ size: clip.length, title: 'Clip' }], userId: owner.userId } })).body.tickets;
    expect((await fetch(ticket.url, { method: 'PUT', body: new Uint8Array(clip) })).status).to.equal(200);
    const fileId = await waitFor(async () => {
      const status = (await wev('GET', `/api/4/files/status/${ticket.id}`)).body[ticket.id];
      expect(status.status, JSON.stringify(status)).to.not.equal('FAILED');
      return status.status === 'COMPLETED' ? (status.fileId as number) : undefined;
    }, 120_000, 'the upload to be ingested');
    // An upload titled without an extension keeps its bytes as `source`.
    expect(await objects(`editor/files/${fileId}/`)).to.have.members([`editor/files/${fileId}/source`, `editor/files/${fileId}/proxy.mp4`]);
    expect((await objectBytes(`editor/files/${fileId}/source`)).equals(clip)).to.equal(true);
    expect(await objects('editor/uploads/'), 'the upload is gone once ingested').to.deep.equal([]);

    const { timelineId } = (
      await wev('POST', '/api/4/timelines', {
        body: {
          title: 'From the bucket',
          userId: owner.userId,
          tracks: [
            { type: 'video', clips: [{ fileId, in: 0, out: 2000 }] },
            { type: 'text', texts: [{ text: 'Bold', start: 0, duration: 1000, font: 'Bold', size: 30, color: '#00ff00' }] },
          ],
        },
      })
    ).body;
    const { exportId } = (await wev('POST', `/api/4/timelines/${timelineId}/export`, { body: { title: 'Bucket export' } })).body;
    const done = await waitFor(async () => {
      const view = (await wev('GET', `/api/4/exports/${exportId}`)).body;
      expect(view.status, JSON.stringify(view)).to.not.equal('FAILED');
      return view.status === 'COMPLETED' ? view : undefined;
    }, 180_000, 'the export to render');
    const stored = await objectBytes(`editor/files/${done.fileId}/source.mp4`);
    expect(stored.length).to.equal(done.fileSize);

    const partial = await fetch(done.urls.file, { headers: { Range: 'bytes=100-299' } });
    expect(partial.status).to.equal(206);
    expect(partial.headers.get('content-range')).to.equal(`bytes 100-299/${stored.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(stored.subarray(100, 300))).to.equal(true);
    const whole = await fetch(done.urls.file);
    expect(whole.status).to.equal(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(stored)).to.equal(true);
    expect((await fetch(done.urls.file.replace(/Signature=[^&]+/, 'Signature=x'))).status).to.equal(403);
    expect((await otherWev('GET', `/api/4/exports/${exportId}`)).status).to.equal(404);

    // No media on any machine's disk: the worker's scratch copies and work folders are gone.
    for (const dataDir of [conf.dataDir, workerConf.dataDir]) expect(existsSync(path.join(dataDir, 'storage', 'editor', 'files'))).to.equal(false);
    for (const folder of ['storage', 'scratch']) {
      const dir = path.join(workerConf.dataDir, folder);
      const left = existsSync(dir) ? (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => !e.isDirectory()) : [];
      expect(left.map((e) => path.join(e.parentPath, e.name))).to.deep.equal([]);
    }
  });
});
