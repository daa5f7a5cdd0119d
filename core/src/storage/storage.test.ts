import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startSeaweedfs, type S3Server } from '../../../test/support/seaweedfs.js';
import { tempDir } from '../../../test/support/tempDir.js';
import { NotFoundError } from '../errors.js';
import { LocalStorage } from './localStorage.js';
import { createS3Client, S3Storage } from './s3Storage.js';
import type { Storage } from './storage.js';

async function localFile(dir: string, name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** One behaviour for both backends: what a plugin sees must not depend on where its media lives. */
function conformance(label: string, make: () => Promise<{ storage: Storage; other: Storage }>) {
  describe(`${label} storage`, () => {
    let storage: Storage;
    let other: Storage;
    let scratch: string;

    before(async () => {
      ({ storage, other } = await make());
    });
    beforeEach(async () => {
      scratch = await tempDir('storage-');
    });

    it('moves a file in, states and reads it whole or by byte range, and fetches it back', async () => {
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
      const local = await localFile(scratch, 'in.bin', bytes);
      await storage.putFile('files/a/source.mp4', local);
      expect(existsSync(local)).to.equal(false);

      const found = await storage.stat('files/a/source.mp4');
      expect(found?.size).to.equal(bytes.length);
      expect(found?.etag).to.match(/"/);
      expect(Buffer.concat(await (await storage.read('files/a/source.mp4')).toArray())).to.deep.equal(bytes);
      const part = Buffer.concat(await (await storage.read('files/a/source.mp4', { start: 100, end: 65_635 })).toArray());
      expect(part).to.deep.equal(bytes.subarray(100, 65_636));

      const back = path.join(scratch, 'back.bin');
      await storage.getFile('/files/a/./source.mp4', back);
      expect(await readFile(back)).to.deep.equal(bytes);
    });

    it('says a missing key is missing: undefined from stat, NotFoundError from read, getFile and copy', async () => {
      expect(await storage.stat('files/none/x.ts')).to.equal(undefined);
      expect(await rejection(storage.read('files/none/x.ts'))).to.be.instanceOf(NotFoundError);
      expect(await rejection(storage.getFile('files/none/x.ts', path.join(scratch, 'x')))).to.be.instanceOf(NotFoundError);
      expect(await rejection(storage.copy('files/none/x.ts', 'files/none/y.ts'))).to.be.instanceOf(NotFoundError);
      expect(await storage.list('files/none')).to.deep.equal([]);
    });

    for (const escape of ['../editor/x', 'files/../../x', '..', 'a/\0b']) {
      it(`refuses the key ${JSON.stringify(escape)} with a 404`, async () => {
        expect(await rejection(storage.read(escape))).to.be.instanceOf(NotFoundError);
        expect(await rejection(storage.putFile(escape, await localFile(scratch, 'x', 'x')))).to.be.instanceOf(NotFoundError);
      });
    }

    it('replaces a stored tree with a local one, copies trees and files, and removes a tree', async () => {
      await localFile(scratch, 'old/stale.ts', 'stale');
      await storage.putTree('files/b/media', path.join(scratch, 'old'));
      const work = path.join(scratch, 'work');
      await localFile(work, 'master.m3u8', '#EXTM3U');
      await localFile(work, '240p/seg_00000.ts', 'segment 0');
      await localFile(work, '240p/seg_00001.ts', 'segment 1');
      await storage.putTree('files/b/media', work);
      expect(existsSync(work)).to.equal(false);
      expect((await storage.list('files/b/media')).sort()).to.deep.equal(['files/b/media/240p/seg_00000.ts', 'files/b/media/240p/seg_00001.ts', 'files/b/media/master.m3u8']);

      await storage.copyTree('files/b/media', 'files/c/media');
      await storage.copy('files/b/media/master.m3u8', 'files/c/master-copy.m3u8');
      await storage.remove('files/b');
      expect(await storage.list('files/b')).to.deep.equal([]);
      expect(await text(await storage.read('files/c/media/240p/seg_00001.ts'))).to.equal('segment 1');
      expect(await text(await storage.read('files/c/master-copy.m3u8'))).to.equal('#EXTM3U');
      await storage.remove('files/nothing-here');
    });

    it('keeps each plugin to its own keys', async () => {
      await storage.putFile('files/d/secret.txt', await localFile(scratch, 'secret.txt', 'mine'));
      expect(await other.stat('files/d/secret.txt')).to.equal(undefined);
      expect(await other.list('files')).to.deep.equal([]);
    });

    it('lends a local copy of an object and a scratch folder, both gone afterwards even when the work fails', async () => {
      await storage.putFile('files/e/source.mkv', await localFile(scratch, 'source.mkv', 'matroska'));
      let seen = '';
      let dir = '';
      const failure = await rejection(
        storage.withScratch('job-e', async (work) => {
          dir = work;
          await writeFile(path.join(work, 'partial.ts'), 'partial');
          await storage.useLocalCopy('files/e/source.mkv', async (local) => {
            seen = local;
            expect(await readFile(local, 'utf8')).to.equal('matroska');
            throw new Error('ffmpeg died');
          });
        }),
      );
      expect((failure as Error).message).to.equal('ffmpeg died');
      expect(existsSync(dir)).to.equal(false);
      expect(await text(await storage.read('files/e/source.mkv'))).to.equal('matroska');
      if (storage.kind === 's3') expect(existsSync(seen)).to.equal(false);
      expect(await rejection(storage.useLocalCopy('files/e/none.mkv', async () => 'x'))).to.be.instanceOf(NotFoundError);
    });
  });
}

conformance('local', async () => {
  const root = await tempDir('local-storage-');
  return { storage: new LocalStorage(path.join(root, 'publish')), other: new LocalStorage(path.join(root, 'editor')) };
});

describe('S3 storage on SeaweedFS', function () {
  this.timeout(120_000);
  let server: S3Server;
  let storage: S3Storage;
  const made: { storage: S3Storage; other: S3Storage }[] = [];

  before(async () => {
    server = await startSeaweedfs();
    const client = createS3Client(server.settings);
    const root = await tempDir('s3-staging-');
    storage = new S3Storage(client, server.settings, 'publish', path.join(root, 'publish'), path.join(root, 'scratch', 'publish'));
    made.push({ storage, other: new S3Storage(client, server.settings, 'editor', path.join(root, 'editor'), path.join(root, 'scratch', 'editor')) });
  });
  after(() => server?.stop());

  conformance('s3', async () => made[0]!);

  it('keeps the objects in the bucket below the plugin name, and nothing on the local disk', async () => {
    const dir = await tempDir('s3-put-');
    await writeFile(path.join(dir, 'f.txt'), 'in the bucket');
    await storage.putFile('files/z/f.txt', path.join(dir, 'f.txt'));
    const client = createS3Client(server.settings);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: server.settings.bucket, Prefix: 'publish/files/z/' }));
    client.destroy();
    expect(listed.Contents?.map((o) => o.Key)).to.deep.equal(['publish/files/z/f.txt']);
    expect(existsSync(storage.resolve('files/z/f.txt'))).to.equal(false);
    expect(await readdir(dir)).to.deep.equal([]);
  });
});
