import { expect } from 'chai';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { tempDir } from '../../../../test/support/tempDir.js';
import path from 'node:path';
import { CleanFileStore } from './cleanFileStore.js';

describe('CleanFileStore.removeLeftovers', () => {
  it('removes unparseable metadata and lone files older than the expiry, and keeps sound or recent uploads', async () => {
    const directory = await tempDir('uploads-');
    const old = new Date(Date.now() - 3 * 3600_000);
    const files: Record<string, string> = { empty: '', 'empty.json': '', sound: 'abc', 'sound.json': '{"id":"sound","size":3}', lone: 'x', 'recent': '', 'recent.json': '' };
    for (const [name, content] of Object.entries(files)) {
      await writeFile(path.join(directory, name), content);
      if (!name.startsWith('recent')) await utimes(path.join(directory, name), old, old);
    }
    const store = new CleanFileStore({ directory });
    expect(await store.removeLeftovers(3600_000)).to.equal(2);
    expect((await readdir(directory)).sort()).to.deep.equal(['recent', 'recent.json', 'sound', 'sound.json']);
  });
});
