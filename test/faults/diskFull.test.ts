import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { testRoot } from '../support/globalDatabase.js';
import { bearerFor, request } from '../support/http.js';
import { makeSample } from '../support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from '../support/platform.js';
import { openPlatformDatabase } from '../support/platformDatabase.js';
import { uploadFile } from '../support/tusUpload.js';
import { waitFor } from '../support/waitFor.js';

const DISK_BYTES = 24 * 1024 * 1024;

/** Fills the file system holding `dir` to its last byte: the file to remove to free the space again. */
async function fillDisk(dir: string): Promise<string> {
  const filler = path.join(dir, 'filler');
  const handle = await open(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return filler;
}

interface EncodingRow {
  _id: string;
  status: string;
  encoding: { status: string; error?: string; attempts: number };
}

describe('faults: a full disk', function () {
  this.timeout(240_000);
  let dataDir = '';
  let conf: TestConf;
  let ws: RunningProcess;
  let worker: RunningProcess | undefined;
  let auth: Record<string, string>;
  let db: Connection;

  before(async function () {
    if (process.getuid?.() !== 0) {
      console.log('    (skipped: mounting a small tmpfs as the data folder needs root)');
      this.skip();
    }
    dataDir = path.join(testRoot(), `small-disk-${process.pid}`);
    await mkdir(dataDir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', dataDir]);
    conf = await makeConf({
      server: { dataDir, jobs: { runIn: [], pollIntervalMs: 200, heartbeatMs: 500 } },
      files: { 'publishConf.json': { qualities: [{ name: '360p', height: 360, videoBitrateKbps: 600 }], segmentSeconds: 2, thumbnails: { count: 2 } } },
    });
    ws = await startProcess(conf, 'ws');
    const credentials = JSON.parse((await runServerJs(['--create-application', 'ops', '--scopes', 'publish'], { conf })).stdout);
    auth = await bearerFor(ws.url, credentials.clientId, credentials.clientSecret);
    db = await openPlatformDatabase(conf);
  });

  after(async () => {
    await Promise.all([ws?.stop(), worker?.stop()]);
    await db?.close();
    if (dataDir) execFileSync('umount', [dataDir]);
  });

  it('refuses an upload creation with a clear 507, leaves no half-made upload behind, and accepts uploads again once space is freed', async () => {
    const uploads = path.join(dataDir, 'storage', 'publish', 'uploads');
    await mkdir(uploads, { recursive: true });
    const before = await readdir(uploads);
    const filler = await fillDisk(dataDir);
    const create = () =>
      fetch(`${ws.url}/publish/api/uploads`, { method: 'POST', headers: { ...auth, 'Tus-Resumable': '1.0.0', 'Upload-Length': '1000', 'Upload-Metadata': `filename ${Buffer.from('a.mp4').toString('base64')}` } });

    try {
      const refused = await create();
      expect(refused.status).to.equal(507);
      expect(await refused.text()).to.match(/not enough storage space/i);
      expect(await readdir(uploads)).to.deep.equal(before);
    } finally {
      await rm(filler);
    }
    const accepted = await create();
    expect(accepted.status).to.equal(201);
    expect(await readdir(uploads)).to.have.length(before.length + 2);
  });

  it('retries a transcode that failed for a full disk by itself, however often, and finishes it once space is freed', async () => {
    const sample = await readFile(await makeSample({ seconds: 3 }));
    const { status, body } = await uploadFile(ws.url, auth, sample, 'short.mkv');
    expect(status).to.equal(200);
    const fileId = body.UUID as string;
    const files = db.collection<EncodingRow>('publish_files');

    const filler = await fillDisk(dataDir);
    worker = await startProcess(conf, 'worker');
    // as many failures as the transcode's retries allow for an error of the file itself (one retry)
    const statuses = new Set<string>();
    await waitFor(async () => {
      const file = await files.findOne({ _id: fileId });
      statuses.add(file!.encoding.status);
      return file!.encoding.attempts >= 2 && file!.encoding.status === 'queued' ? file : undefined;
    }, 120_000, 'the transcode to fail twice for the full disk');
    const waiting = (await files.findOne({ _id: fileId }))!;
    expect(waiting.encoding.error).to.match(/No space left on device/);
    expect(statuses).to.not.include('failed');

    await rm(filler);
    await waitFor(async () => (await request(`${ws.url}/publish/videos/${fileId}`, { headers: auth })).body.entity?.state === 11, 120_000, 'the transcode to finish after space was freed');
    const ready = (await files.findOne({ _id: fileId }))!;
    expect(ready.status).to.equal('ready');
    expect(ready.encoding.status).to.equal('ready');
  });
});
