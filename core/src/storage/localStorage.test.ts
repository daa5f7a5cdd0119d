import { expect } from 'chai';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError } from '../errors.js';
import { LocalStorage } from './localStorage.js';

describe('LocalStorage', () => {
  const storage = new LocalStorage(path.join(os.tmpdir(), 'storage-root'));

  it('resolves paths inside its root', () => {
    expect(storage.resolve('videos/a/master.m3u8')).to.equal(path.join(storage.root, 'videos/a/master.m3u8'));
    expect(storage.resolve('/videos/a')).to.equal(path.join(storage.root, 'videos/a'));
  });

  for (const escape of ['../etc/passwd', 'videos/../../x', '..', 'a/\0b', '../storage-root-other/x']) {
    it(`refuses ${JSON.stringify(escape)}`, () => {
      expect(() => storage.resolve(escape)).to.throw(NotFoundError);
    });
  }
});
