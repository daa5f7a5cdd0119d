import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { bearerFor, request } from './support/http.js';
import { otherMachine } from './support/machines.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { startSeaweedfs, type S3Server } from './support/seaweedfs.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

const MiB = 1024 * 1024;
const TUS = { 'Tus-Resumable': '1.0.0' };
const ladder = { qualities: [{ name: '144p', height: 144, videoBitrateKbps: 150 }], segmentSeconds: 2, thumbnails: { count: 1 }, preset: 'ultrafast' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * With `storage.type` s3 a tus upload lives in the bucket from its creation: two web services, each on a disk of its
 * own, both serve any upload, so the load balancer needs no stickiness.
 */
describe('publish: tus uploads in the bucket (SeaweedFS), continued by another web service', function () {
  this.timeout(300_000);
  let s3: S3Server;
  let client: S3Client;
  let conf: TestConf;
  const machines: TestConf[] = [];
  let app: RunningProcess;
  let wsA: RunningProcess;
  let wsB: RunningProcess;
  const processes: RunningProcess[] = [];
  let mine: Record<string, string>;
  let theirs: Record<string, string>;

  const objects = async (prefix: string) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
  const tus = (ws: RunningProcess, method: string, id: string, headers: Record<string, string>, extra: Record<string, string> = {}, body?: Buffer) =>
    request(`${ws.url}/publish/api/uploads/${id}`, { method, headers: { ...headers, ...TUS, ...extra }, body: body && new Uint8Array(body) });

  before(async () => {
    s3 = await startSeaweedfs('mediahost-tus');
    client = new S3Client({ endpoint: s3.settings.endpoint, region: s3.settings.region, forcePathStyle: true, credentials: s3.settings });
    conf = await makeConf({ plugins: ['publish'], server: { storage: s3.settings, jobs: { pollIntervalMs: 200 } }, files: { 'publishConf.json': ladder } });
    app = await startProcess(conf, 'app');
    processes.push(app);
    machines.push(await otherMachine(conf, 'wsA'), await otherMachine(conf, 'wsB'));
    const webServices = await Promise.all(machines.map((machine) => startProcess(machine, 'ws')));
    [wsA, wsB] = [webServices[0]!, webServices[1]!];
    processes.push(wsA, wsB);
    const apps = [];
    for (const name of ['mine', 'theirs']) apps.push(JSON.parse((await runServerJs(['--create-application', name, '--scopes', 'publish'], { conf })).stdout));
    mine = await bearerFor(wsA!.url, apps[0].clientId, apps[0].clientSecret);
    theirs = await bearerFor(wsB!.url, apps[1].clientId, apps[1].clientSecret);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    client?.destroy();
    await s3?.stop();
  });

  it('an upload made on one web service is its owner’s only on the other: another tenant can neither HEAD, PATCH nor DELETE it', async () => {
    const created = await request(`${wsA.url}/publish/api/uploads`, {
      method: 'POST',
      headers: { ...mine, ...TUS, 'Upload-Length': '10', 'Upload-Metadata': `filename ${Buffer.from('mine.mp4').toString('base64')}` },
    });
    expect(created.status).to.equal(201);
    const id = created.headers.get('location')!.split('/').pop()!;
    expect(await objects(`publish/uploads/${id}`)).to.include(`publish/uploads/${id}.info`);

    expect((await tus(wsB, 'HEAD', id, theirs)).status).to.equal(404);
    expect((await tus(wsB, 'PATCH', id, theirs, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, Buffer.from('0123456789'))).status).to.equal(404);
    expect((await tus(wsB, 'DELETE', id, theirs)).status).to.equal(404);
    const theirSessions = await request(`${wsB.url}/publish/api/uploads/sessions`, { headers: theirs });
    expect(theirSessions.body.map((s: { TusID: string }) => s.TusID)).to.not.include(id);

    const head = await tus(wsB, 'HEAD', id, mine);
    expect(head.status).to.equal(200);
    expect(head.headers.get('upload-offset')).to.equal('0');
    expect(head.headers.get('upload-metadata'), 'the owner mark stays ours').to.not.contain(Buffer.from('mh_owner').toString('base64')).and.not.contain('mh_owner');
    const mySessions = await request(`${wsB.url}/publish/api/uploads/sessions`, { headers: mine });
    expect(mySessions.body.map((s: { TusID: string }) => s.TusID)).to.include(id);

    expect((await tus(wsB, 'PATCH', id, mine, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, Buffer.from('01234'))).status).to.equal(204);
    expect((await tus(wsA, 'HEAD', id, mine)).headers.get('upload-offset'), 'web service A sees the bytes B received').to.equal('5');
    expect((await tus(wsA, 'DELETE', id, mine)).status).to.equal(204);
    expect(await objects(`publish/uploads/${id}`)).to.deep.equal([]);
  });

  it('resumes on web service B an upload begun on web service A and killed mid-upload; the file becomes playable', async () => {
    const sample = await readFile(await makeSample({ seconds: 6, width: 1280, height: 720, videoKbps: 30_000 }));
    expect(sample.length, 'the sample spans several S3 parts').to.be.greaterThan(10 * MiB);
    const chunkSize = 3 * MiB;

    // Web service A dies (SIGKILL) once it has taken two chunks: the third is in flight.
    let uploadUrl: string | undefined;
    let killed: Promise<unknown> | undefined;
    const first = tusUpload(sample, {
      endpoint: `${wsA.url}/publish/api/uploads`,
      headers: mine,
      metadata: { filename: 'resumed.mkv' },
      chunkSize,
      onChunkComplete: (accepted, upload) => {
        if (killed || accepted < 2 * chunkSize) return;
        uploadUrl = upload.url!;
        void upload.abort();
        killed = wsA.stop('SIGKILL');
      },
    });
    first.done.catch(() => undefined);
    await waitFor(async () => killed !== undefined, 120_000, 'web service A to take two chunks');
    await killed;
    const id = uploadUrl!.split('/').pop()!;

    const held = Number((await tus(wsB, 'HEAD', id, mine)).headers.get('upload-offset'));
    expect(held, 'B knows the bytes A took').to.be.at.least(2 * chunkSize).and.below(sample.length);

    await tusUpload(sample, { uploadUrl: `${wsB.url}/publish/api/uploads/${id}`, headers: mine, metadata: { filename: 'resumed.mkv' }, chunkSize }).done;
    const finalized = await fetch(`${wsB.url}/publish/api/uploads/${id}/finalize`, { method: 'POST', headers: mine });
    const file = await finalized.json();
    expect(finalized.status, JSON.stringify(file)).to.equal(200);

    // The bytes A took and the bytes B took, in order: the source in the bucket is the sample itself.
    const source = await client.send(new GetObjectCommand({ Bucket: s3.settings.bucket, Key: `publish/files/${file.UUID}/source.mkv` }));
    expect(sha256(await source.Body!.transformToByteArray())).to.equal(sha256(sample));
    expect(await objects(`publish/uploads/${id}`), 'the finalized upload is gone from the bucket').to.deep.equal([]);
    for (const machine of machines) expect(existsSync(path.join(machine.dataDir, 'storage', 'publish', 'uploads', id))).to.equal(false);

    await waitFor(async () => (await request(`${wsB.url}/publish/videos/${file.UUID}`, { headers: mine })).body.entity?.state === 11, 180_000, 'the file to become ready');
    const page = await fetch(`${app.url}/publish/v/${file.UUID}`);
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
    expect((await fetch(`${app.url}/publish/${file.UUID}/stream/multi/master.m3u8`, { headers: { Cookie: cookie } })).status).to.equal(200);
    expect((await fetch(`${app.url}/publish/${file.UUID}/144p/seg_00000.ts`, { headers: { Cookie: cookie } })).status).to.equal(200);
  });
});
