import { expect } from 'chai';
import { readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleFiles } from './staleFiles.js';
import { tempDir } from '../../../../test/support/tempDir.js';

describe('removeStaleFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('stale-');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('removes only the files older than the limit', async () => {
    await writeFile(path.join(dir, 'old'), 'x');
    await writeFile(path.join(dir, 'new'), 'x');
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await utimes(path.join(dir, 'old'), dayAgo, dayAgo);
    expect(await removeStaleFiles(dir, 24 * 3600_000)).to.equal(1);
    expect(await readdir(dir)).to.deep.equal(['new']);
  });

  it('is a no-op for a folder that does not exist', async () => {
    expect(await removeStaleFiles(path.join(dir, 'missing'), 1000)).to.equal(0);
  });
});
