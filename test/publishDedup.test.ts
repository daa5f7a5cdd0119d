import { expect } from 'chai';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { mediaBinaries } from './support/toolchain.js';
import { databaseUri } from './support/globalDatabase.js';
import { request } from './support/http.js';
import { makeSample } from './support/media.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tempDir } from './support/tempDir.js';
import { uploadFile } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

/** Plays a file as a browser does: the player page's cookie, the master, a variant playlist, one segment. */
async function firstSegment(appUrl: string, fileId: string): Promise<number> {
  const page = await fetch(`${appUrl}/publish/v/${fileId}`);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
  const get = (url: URL | string) => fetch(url, { headers: { Cookie: cookie } });
  const masterUrl = `${appUrl}/publish/${fileId}/stream/multi/master.m3u8`;
  const master = await get(masterUrl);
  expect(master.status, `${fileId} master`).to.equal(200);
  const variantUrl = new URL((await master.text()).split('\n').find((line) => line.endsWith('.m3u8'))!, masterUrl);
  const playlist = await (await get(variantUrl)).text();
  expect(playlist).to.contain('#EXT-X-ENDLIST');
  const segment = await get(new URL(playlist.split('\n').find((line) => line.endsWith('.ts'))!, variantUrl));
  expect(segment.status, `${fileId} segment`).to.equal(200);
  return (await segment.arrayBuffer()).byteLength;
}

describe('publish: identical bytes uploaded at the same time', () => {
  let platform: PublishPlatform;
  let ids: string[] = [];
  before(async () => {
    platform = await startPublishPlatform({ qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', segmentSeconds: 2, thumbnails: { count: 2 } });
  });
  after(async () => {
    await platform?.stop();
  });

  it('all become ready and playable, through tus and the direct upload, transcoded once and sharing the media', async function () {
    this.timeout(180_000);
    const { ws, app, auth, conf } = platform;
    const sample = await readFile(await makeSample({ seconds: 4, width: 320, height: 240 }));
    const direct = async (name: string) => {
      const form = new FormData();
      form.append('Name', name);
      form.append('file', new Blob([new Uint8Array(sample)]), name);
      return request(`${ws.url}/publish/api/file/upload`, { method: 'POST', headers: auth, body: form });
    };
    const uploads = await Promise.all([uploadFile(ws.url, auth, sample, 'tus-1.mkv'), direct('direct-1.mkv'), uploadFile(ws.url, auth, sample, 'tus-2.mkv'), direct('direct-2.mkv')]);
    expect(uploads.map((u) => u.status)).to.deep.equal([200, 200, 200, 200]);
    ids = uploads.map((u) => u.body.UUID as string);
    expect(new Set(ids).size).to.equal(4);

    const states = async () => Promise.all(ids.map(async (id) => (await request(`${ws.url}/publish/videos/${id}`, { headers: auth })).body.entity?.state as number));
    await waitFor(async () => (await states()).every((state) => state === 11), 120_000, 'every copy to be ready');
    expect((await platform.call('GET', '/encodings')).body, 'nothing left encoding').to.equal(null);
    for (const id of ids) expect(await firstSegment(app.url, id)).to.be.above(0);

    const segments = await Promise.all(ids.map((id) => stat(path.join(conf.dataDir, 'storage', 'publish', 'files', id, 'media', '240p', 'seg_00000.ts'))));
    expect(new Set(segments.map((s) => s.ino)).size, 'one encode, hard-linked into every copy').to.equal(1);
    const details = await Promise.all(uploads.map((u) => platform.call('GET', `/file?LinkID=${u.body.ID}`)));
    expect(details.map((d) => d.body.Qualitys.every((q: { Ready: boolean }) => q.Ready))).to.deep.equal([true, true, true, true]);
  });

  it('lets the owner retry a file its finished transcode left processing, instead of answering 409 for good', async () => {
    const { ws, auth, conf } = platform;
    const connection = await mongoose.createConnection(databaseUri(), { dbName: conf.database }).asPromise();
    let stuck: string;
    try {
      const files = connection.db!.collection<{ _id: string }>('publish_files');
      const leader = await files.findOne({ _id: { $in: ids }, 'encoding.jobId': { $exists: true } });
      expect(leader, 'the copy that ran the transcode').to.not.equal(null);
      // what a final write lost to a concurrent one looks like: the job completed, the file says otherwise
      stuck = leader!._id;
      await files.updateOne({ _id: stuck }, { $set: { status: 'processing', 'encoding.status': 'running', 'encoding.progress': 99 } });
    } finally {
      await connection.close();
    }
    const retried = await request(`${ws.url}/publish/api/encodings/${stuck}/retry`, { method: 'POST', headers: auth });
    expect(retried.status).to.equal(202);
    await waitFor(async () => (await request(`${ws.url}/publish/videos/${stuck}`, { headers: auth })).body.entity?.state === 11, 60_000, 'the retried file to be ready');
  });
});

describe('publish: identical bytes uploaded at the same time, when the transcode fails', () => {
  let platform: PublishPlatform;
  after(async () => {
    await platform?.stop();
  });

  it('fails every copy with the error, and each can be retried', async function () {
    this.timeout(120_000);
    const brokenFfmpeg = path.join(await tempDir('ffmpeg-'), 'ffmpeg');
    // answers fluent-ffmpeg's capability queries like ffmpeg, and fails every encode
    await writeFile(brokenFfmpeg, `#!/bin/sh\ncase "$*" in *-i*) echo "Simulated encoder failure: out of licences" >&2; exit 1;; esac\nexec ${mediaBinaries().ffmpeg} "$@"\n`);
    await chmod(brokenFfmpeg, 0o755);
    platform = await startPublishPlatform({ qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], segmentSeconds: 2 }, { ffmpegPath: brokenFfmpeg });
    const { ws, auth } = platform;
    const sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240 }));
    const uploads = await Promise.all(['a.mkv', 'b.mkv', 'c.mkv'].map((name) => uploadFile(ws.url, auth, sample, name)));
    const ids = uploads.map((u) => u.body.UUID as string);

    const rows = await waitFor(async () => {
      const encodings = ((await platform.call('GET', '/encodings')).body ?? []) as { UUID: string; Failed: boolean; Error: string | null }[];
      const mine = ids.map((id) => encodings.find((e) => e.UUID === id));
      return mine.every((row) => row?.Failed) ? mine : undefined;
    }, 90_000, 'every copy to fail');
    for (const row of rows) expect(row!.Error).to.contain('Simulated encoder failure');
    for (const id of ids) expect((await request(`${ws.url}/publish/api/encodings/${id}/retry`, { method: 'POST', headers: auth })).status, id).to.equal(202);
  });
});
