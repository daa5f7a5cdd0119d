import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StoredMediaRegistry, type BackOfficeUser, type MediaRequester, type Model } from '@mediahost/core';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { tempDir } from '../../../../test/support/tempDir.js';
import { LocalStorage } from '../../../../core/src/storage/localStorage.js';
import { pluginUrls } from '../../../../core/src/plugins/pluginUrls.js';
import { fileModel, type FileDoc } from '../models/file.js';
import { mediaLayout } from './mediaLayout.js';
import { storedMediaResolver } from './storedMediaResolver.js';

const SITE = 'http://videos.example:8080';
const urls = pluginUrls('publish', { backOffice: SITE, webService: 'http://api.example:8081' });
const MANAGE = 'publish.manage';
const app = (id: string): MediaRequester => ({ kind: 'application', applicationId: id, subject: `app:${id}` });
const backOffice = (id: string, permissions: string[] = []): MediaRequester => ({
  kind: 'user',
  user: { id, email: `${id}@example.org`, name: id, permissions: new Set(permissions), credentialsStamp: 's' } satisfies BackOfficeUser,
});

describe('publish: the stored media resolver', () => {
  let files: Model<FileDoc>;
  let storage: LocalStorage;
  let registry: StoredMediaRegistry;
  let linkIds = 1000;

  /** A file of `owner` whose source is stored, as ingest leaves it. */
  async function storedFile(owner: string, status: FileDoc['status'] = 'ready'): Promise<{ id: string; url: string; bytes: string }> {
    const id = randomUUID();
    const bytes = `source of ${id}`;
    const local = path.join(await tempDir('resolver-'), 'upload');
    await writeFile(local, bytes);
    await storage.putFile(mediaLayout.source(id, 'source.mkv'), local);
    await files.create({ _id: id, linkId: ++linkIds, owner, name: `Clip ${id.slice(0, 4)}`, sha256: id, size: bytes.length, sourceName: 'source.mkv', status, durationSeconds: 4.2 });
    return { id, url: urls.absolute.public(`/v/${id}`), bytes };
  }

  before(async () => {
    files = fileModel(await openTestDatabase('stored-media'));
    storage = new LocalStorage(await tempDir('publish-storage-'));
    registry = new StoredMediaRegistry();
    registry.register(storedMediaResolver({ files, storage, urls, managePermission: MANAGE }));
  });

  it("opens the owning application's video from storage: its title, duration and the stored source itself", async () => {
    const video = await storedFile('app:owner');
    const media = await registry.resolve(video.url, app('owner'));
    expect(media).to.include({ provider: 'publish', id: video.id, title: `Clip ${video.id.slice(0, 4)}`, durationSeconds: 4.2, fileName: 'source.mkv' });
    const read = await media!.useLocalCopy(async (file) => ({ file, text: await readFile(file, 'utf8') }));
    expect(read.text).to.equal(video.bytes);
    // on local disk, the stored file itself: nothing was copied or fetched
    expect(read.file).to.equal(storage.resolve(mediaLayout.source(video.id, 'source.mkv')));
  });

  it("refuses another application's video exactly as one that does not exist", async () => {
    const video = await storedFile('app:owner');
    const foreign = await registry.resolve(video.url, app('intruder')).then(() => undefined, (e: Error) => e);
    const missing = await registry.resolve(urls.absolute.public(`/v/${randomUUID()}`), app('owner')).then(() => undefined, (e: Error) => e);
    expect(foreign).to.be.an('error');
    expect(missing).to.be.an('error');
    expect({ status: (foreign as { status?: number }).status, message: foreign!.message }).to.deep.equal({ status: (missing as { status?: number }).status, message: missing!.message });
    expect((foreign as { status?: number }).status).to.equal(404);
  });

  it('opens a video for a back-office user who owns it or manages every video, and for no other user', async () => {
    const video = await storedFile('user:u1');
    expect((await registry.resolve(video.url, backOffice('u1')))?.id).to.equal(video.id);
    expect((await registry.resolve(video.url, backOffice('boss', [MANAGE])))?.id).to.equal(video.id);
    // the admin role grants every permission, publish.manage with them
    expect((await registry.resolve(video.url, backOffice('admin', ['*'])))?.id).to.equal(video.id);
    await registry.resolve(video.url, backOffice('u2', ['editor.manage'])).then(
      () => expect.fail('a user who cannot see the video opened it'),
      (error: { status?: number }) => expect(error.status).to.equal(404),
    );
    // an application whose id looks like the user's is not the user
    await registry.resolve(video.url, app('u1')).then(
      () => expect.fail('an application opened a user’s video'),
      (error: { status?: number }) => expect(error.status).to.equal(404),
    );
  });

  it('refuses a failed file and one whose source is gone', async () => {
    const failed = await storedFile('app:owner', 'failed');
    const gone = await storedFile('app:owner');
    await storage.remove(mediaLayout.fileDir(gone.id));
    for (const url of [failed.url, gone.url]) {
      await registry.resolve(url, app('owner')).then(
        () => expect.fail(`${url} opened`),
        (error: { status?: number }) => expect(error.status).to.equal(404),
      );
    }
  });

  it('recognizes only its player URLs on its own site: others are web URLs for the caller', async () => {
    const video = await storedFile('app:owner');
    expect(registry.recognizes(video.url)).to.equal(true);
    expect(registry.recognizes(`${video.url}/`)).to.equal(true);
    for (const url of [
      `http://elsewhere.example:8080/publish/v/${video.id}`,
      `http://api.example:8081/publish/v/${video.id}`,
      `${SITE}/publish/v/not-a-uuid`,
      `${SITE}/publish/${video.id}/media/720p/video.m3u8`,
      `${SITE}/publish/v/${video.id}/../../etc/passwd`,
    ]) {
      expect(registry.recognizes(url), url).to.equal(false);
      expect(await registry.resolve(url, app('owner')), url).to.equal(undefined);
    }
  });
});
