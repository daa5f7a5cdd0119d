import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ByteRange, Storage, StoredObject } from '../storage/storage.js';
import { LocalStorage } from '../storage/localStorage.js';
import { StoredObjectCache } from './storedObjectCache.js';

/** A local store that counts its reads. */
class CountingStorage extends LocalStorage {
  reads = 0;
  override read(key: string, range?: ByteRange) {
    this.reads += 1;
    return super.read(key, range);
  }
}

describe('StoredObjectCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'objectcache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const store = async (storage: Storage, key: string, content: string): Promise<StoredObject> => {
    await writeFile(storage.resolve(key), content);
    return (await storage.stat(key))!;
  };

  it('reads an object once for any number of requests, concurrent misses included', async () => {
    const storage = new CountingStorage(dir);
    const found = await store(storage, 'seg.ts', 'segment bytes');
    const cache = new StoredObjectCache({ maxBytes: 1000, maxObjectBytes: 100 });
    const served = await Promise.all(Array.from({ length: 20 }, () => cache.bytes(storage, 'seg.ts', found)));
    served.push(await cache.bytes(storage, 'seg.ts', found));
    expect(served.map((b) => b!.toString())).to.deep.equal(Array(21).fill('segment bytes'));
    expect(storage.reads).to.equal(1);
  });

  it('reads again an object whose ETag changed', async () => {
    const storage = new CountingStorage(dir);
    const cache = new StoredObjectCache({ maxBytes: 1000, maxObjectBytes: 100 });
    expect((await cache.bytes(storage, 'a', await store(storage, 'a', 'one')))!.toString()).to.equal('one');
    expect((await cache.bytes(storage, 'a', await store(storage, 'a', 'two, longer')))!.toString()).to.equal('two, longer');
    expect(storage.reads).to.equal(2);
  });

  it('leaves objects above the size limit, and everything when turned off, to streaming', async () => {
    const storage = new CountingStorage(dir);
    const found = await store(storage, 'big', 'x'.repeat(101));
    expect(await new StoredObjectCache({ maxBytes: 1000, maxObjectBytes: 100 }).bytes(storage, 'big', found)).to.equal(undefined);
    const small = await store(storage, 'small', 'x');
    expect(await new StoredObjectCache({ maxBytes: 0, maxObjectBytes: 100 }).bytes(storage, 'small', small)).to.equal(undefined);
    expect(storage.reads).to.equal(0);
  });

  it('keeps within its byte budget by dropping the least recently used objects', async () => {
    const storage = new CountingStorage(dir);
    const cache = new StoredObjectCache({ maxBytes: 250, maxObjectBytes: 100 });
    const objects = [];
    for (const key of ['a', 'b', 'c', 'd']) objects.push(await store(storage, key, key.repeat(100)));
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) await cache.bytes(storage, key, objects[i]!);
    expect(cache.heldBytes).to.be.at.most(250);
    expect(storage.reads).to.equal(4);
    await cache.bytes(storage, 'd', objects[3]!);
    expect(storage.reads).to.equal(4);
    await cache.bytes(storage, 'a', objects[0]!);
    expect(storage.reads).to.equal(5);
  });

  it('keeps the objects of two stores apart, under the same key', async () => {
    await Promise.all(['one', 'two'].map((name) => mkdir(path.join(dir, name))));
    const one = new LocalStorage(path.join(dir, 'one'));
    const two = new LocalStorage(path.join(dir, 'two'));
    const cache = new StoredObjectCache({ maxBytes: 1000, maxObjectBytes: 100 });
    const foundOne = await store(one, 'seg.ts', 'first store');
    const foundTwo = { ...(await store(two, 'seg.ts', 'other store')), etag: foundOne.etag };
    expect((await cache.bytes(one, 'seg.ts', foundOne))!.toString()).to.equal('first store');
    expect((await cache.bytes(two, 'seg.ts', foundTwo))!.toString()).to.equal('other store');
  });
});
