import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeSample } from './support/media.js';
import type { TestConf } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { waitFor } from './support/waitFor.js';

interface Row {
  ID: number;
  Status: string;
  Name: string;
  Url: string;
  Progress: number;
  Error: string;
  LinkID: number;
  LinkUUID: string;
  BytesDownloaded: number;
  TotalSize: number;
  ParentFolderID: number;
}

/** A media server on loopback (which the test conf trusts) that also points at places the platform must refuse. */
function mediaServer(sample: Buffer) {
  const slowTimers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const { port } = server.address() as AddressInfo;
    switch (req.url) {
      case '/files/clip.mkv':
        res.writeHead(200, { 'Content-Type': 'video/x-matroska', 'Content-Length': sample.length });
        return res.end(sample);
      case '/download?id=7':
        res.writeHead(200, { 'Content-Type': 'video/x-matroska', 'Content-Disposition': 'attachment; filename="Lecture 7.mkv"' });
        return res.end(sample);
      case '/notes.mkv':
        res.writeHead(200, { 'Content-Type': 'video/x-matroska' });
        return res.end('these are notes, not a video');
      case '/huge.mkv':
        res.writeHead(200, { 'Content-Length': 50 * 1024 * 1024 });
        return res.end();
      case '/to-loopback':
        res.writeHead(302, { Location: `http://127.0.0.2:${port}/files/clip.mkv` });
        return res.end();
      case '/to-ipv6-loopback':
        res.writeHead(302, { Location: `http://[::1]:${port}/files/clip.mkv` });
        return res.end();
      case '/slow.mkv': {
        res.writeHead(200, { 'Content-Length': 10 * 1024 * 1024 });
        const timer = setInterval(() => res.write(Buffer.alloc(1024)), 100);
        slowTimers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          slowTimers.delete(timer);
        });
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  return {
    server,
    close: () => {
      for (const timer of slowTimers) clearInterval(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('publish: remote downloads', () => {
  let conf: TestConf;
  let auth: Record<string, string>;
  let otherAuth: Record<string, string>;
  let media: ReturnType<typeof mediaServer>;
  let origin: string;

  let platform: PublishPlatform;
  const call: PublishPlatform['call'] = (...args) => platform.call(...args);
  const rows = async (as = auth): Promise<Row[]> => (await call('GET', '/remote/downloads', undefined, as)).body;
  const settled = (id: number, statuses = ['completed', 'failed', 'canceled']) =>
    waitFor(async () => (await rows()).find((r) => r.ID === id && statuses.includes(r.Status)), 60_000, `download ${id} to be ${statuses.join(' or ')}`);

  before(async () => {
    const sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240 }));
    media = mediaServer(sample);
    await new Promise<void>((resolve) => media.server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(media.server.address() as AddressInfo).port}`;
    platform = await startPublishPlatform(
      { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', maxUploadBytes: 20 * 1024 * 1024, remoteDownloads: { maxActivePerUser: 3, concurrency: 2 } },
      { outbound: { allowedNetworks: ['127.0.0.1'] } },
    );
    ({ conf, auth, otherAuth } = platform);
  });
  after(async () => {
    await platform?.stop();
    await media?.close();
  });

  it('downloads URLs into new files of a folder, named by Content-Disposition or the URL, with progress', async () => {
    const folder = (await call('POST', '/folder', { Name: 'Imports' })).body as { ID: number };
    const created = await call('POST', '/remote/download', { urls: [`${origin}/files/clip.mkv`, `${origin}/download?id=7`], parentFolderID: folder.ID });
    expect(created.status).to.equal(201);
    expect(created.body).to.have.length(2);
    expect(created.body[0]).to.include({ Status: 'pending', Name: 'clip.mkv', Url: `${origin}/files/clip.mkv`, ParentFolderID: folder.ID, Progress: 0 });
    expect(created.body[0]).to.have.keys(
      'ID', 'CreatedAt', 'UpdatedAt', 'DeletedAt', 'ParentFolderID', 'Url', 'Name', 'Status', 'Progress', 'Error', 'LinkID', 'LinkUUID',
      'BytesDownloaded', 'TotalSize', 'Duration', 'StartedAt', 'FinishedAt', 'CancelRequestedAt', 'CanceledAt',
    );
    const [clip, lecture] = await Promise.all(created.body.map((row: Row) => settled(row.ID)));
    for (const row of [clip!, lecture!]) {
      expect(row, row.Error).to.include({ Status: 'completed', Progress: 1 });
      expect(row.LinkID).to.be.above(0);
      const link = await call('GET', `/file?LinkID=${row.LinkID}`);
      expect(link.body).to.include({ UUID: row.LinkUUID, ParentFolderID: folder.ID });
    }
    expect(lecture!.Name).to.equal('Lecture 7.mkv');
    expect(clip!.BytesDownloaded).to.equal(clip!.TotalSize).and.above(0);
    expect((await call('GET', `/files?ParentFolderID=${folder.ID}`)).body.map((l: { Name: string }) => l.Name)).to.deep.equal(['Lecture 7.mkv', 'clip.mkv']);
    expect(await rows(otherAuth)).to.deep.equal([]);
  });

  it('refuses internal targets, also behind a redirect, and files that are too large or not media, leaving nothing', async () => {
    const created = await call('POST', '/remote/download', {
      urls: [`http://127.0.0.2:${new URL(origin).port}/files/clip.mkv`, `${origin}/to-ipv6-loopback`, `${origin}/huge.mkv`],
    });
    expect(created.status).to.equal(201);
    const [direct, redirected, huge] = await Promise.all(created.body.map((row: Row) => settled(row.ID)));
    expect(direct).to.include({ Status: 'failed' });
    expect(direct!.Error).to.match(/internal address/);
    expect(redirected).to.include({ Status: 'failed' });
    expect(redirected!.Error).to.match(/internal address/);
    expect(huge).to.include({ Status: 'failed' });
    expect(huge!.Error).to.match(/larger than/);

    const more = await call('POST', '/remote/download', { urls: [`${origin}/notes.mkv`, `${origin}/to-loopback`] });
    const [notes, viaRedirect] = await Promise.all(more.body.map((row: Row) => settled(row.ID)));
    expect(notes).to.include({ Status: 'failed', LinkID: 0 });
    expect(notes!.Error).to.match(/notes\.mkv/);
    expect(viaRedirect!.Error).to.match(/internal address/);
    expect(await readdir(path.join(conf.dataDir, 'storage/publish/incoming'))).to.deep.equal([]);
  });

  it('answers 400 for bad requests without queuing anything', async () => {
    const before = (await rows()).length;
    const folderOfOther = (await call('POST', '/folder', { Name: 'Theirs' }, otherAuth)).body as { ID: number };
    for (const body of [
      {},
      { urls: [] },
      { urls: 'https://example.com/a.mp4' },
      { urls: ['ftp://example.com/a.mp4'] },
      { urls: ['file:///etc/passwd'] },
      { urls: ['not a url'] },
      { urls: Array.from({ length: 21 }, (_, i) => `https://example.com/${i}.mp4`) },
      { urls: ['https://example.com/a.mp4'], parentFolderID: folderOfOther.ID },
    ]) {
      const response = await call('POST', '/remote/download', body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.body.error.message).to.be.a('string');
    }
    expect((await call('GET', '/remote/downloads?status=bogus')).status).to.equal(400);
    expect((await call('DELETE', '/remote/downloads', { statuses: ['pending'] })).status).to.equal(400);
    expect((await call('DELETE', '/remote/downloads', { statuses: ['failed', 'failed'] })).status).to.equal(400);
    expect((await call('POST', '/remote/download/abc/cancel')).status).to.equal(400);
    expect(await rows()).to.have.length(before);
  });

  it('cancels a running download, retries it, limits the queue, and deletes or clears finished rows', async () => {
    const started = (await call('POST', '/remote/download', { urls: [`${origin}/slow.mkv`] })).body[0] as Row;
    await waitFor(async () => (await rows()).find((r) => r.ID === started.ID && r.Status === 'downloading' && r.BytesDownloaded > 0), 30_000, 'the slow download to run');
    expect((await call('DELETE', `/remote/download/${started.ID}`)).status).to.equal(409);
    expect((await call('POST', `/remote/download/${started.ID}/retry`)).status).to.equal(409);

    const queued = await call('POST', '/remote/download', { urls: [`${origin}/slow.mkv`, `${origin}/slow.mkv`, `${origin}/slow.mkv`] });
    expect(queued.status, 'three more than the three active allowed').to.equal(429);

    const cancel = await call('POST', `/remote/download/${started.ID}/cancel`);
    expect(cancel.status).to.equal(200);
    expect(cancel.body).to.equal('ok');
    const canceled = await settled(started.ID);
    expect(canceled).to.include({ Status: 'canceled', Error: 'Download canceled', Progress: 0 });
    expect((await call('POST', `/remote/download/${started.ID}/cancel`)).status).to.equal(409);

    const retried = await call('POST', `/remote/download/${started.ID}/retry`);
    expect(retried.status).to.equal(200);
    expect(retried.body).to.include({ ID: started.ID, Status: 'pending', Error: '', BytesDownloaded: 0 });
    await waitFor(async () => (await rows()).find((r) => r.ID === started.ID && r.Status === 'downloading'), 30_000, 'the retry to run');
    await call('POST', `/remote/download/${started.ID}/cancel`);
    await settled(started.ID);

    expect((await call('POST', `/remote/download/${started.ID}/cancel`, undefined, otherAuth)).status).to.equal(404);
    expect((await call('DELETE', `/remote/download/${started.ID}`, undefined, otherAuth)).status).to.equal(404);
    expect((await call('POST', '/remote/download/999999/retry')).status).to.equal(404);

    const removed = await call('DELETE', `/remote/download/${started.ID}`);
    expect(removed.status).to.equal(204);
    expect((await rows()).map((r) => r.ID)).not.to.include(started.ID);

    const failedCount = (await rows()).filter((r) => r.Status === 'failed').length;
    expect(failedCount).to.be.above(0);
    const cleared = await call('DELETE', '/remote/downloads', { statuses: ['failed'] });
    expect(cleared.body).to.deep.equal({ deleted: failedCount });
    const left = await rows();
    expect(left.every((r) => r.Status === 'completed')).to.equal(true);
    expect((await call('GET', '/remote/downloads?status=completed&limit=1&offset=1')).body).to.have.length(1);
  });
});
