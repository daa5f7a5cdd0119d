import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../../../test/support/tempDir.js';
import { removeDeadScratch, scratchRootOf, withScratchDir } from './scratch.js';

describe('scratch folders', () => {
  it('are removed after the work, also when it fails', async () => {
    const root = scratchRootOf(await tempDir('scratch-'));
    let seen = '';
    const failed = await withScratchDir(root, 'job', async (dir) => {
      seen = dir;
      await writeFile(path.join(dir, 'part.ts'), 'x');
      throw new Error('ffmpeg died');
    }).catch((error: Error) => error.message);
    expect(failed).to.equal('ffmpeg died');
    expect(seen.startsWith(root)).to.equal(true);
    expect(existsSync(seen)).to.equal(false);
  });

  it("of a process that died are removed at the next start, and a live process's are kept", async () => {
    const dataDir = await tempDir('scratch-data-');
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const dead = scratchRootOf(dataDir, Number(deadPid));
    await mkdir(path.join(dead, 'publish', 'transcode-x'), { recursive: true });
    const mine = scratchRootOf(dataDir);
    await mkdir(path.join(mine, 'publish'), { recursive: true });
    expect(await removeDeadScratch(dataDir)).to.equal(1);
    expect(existsSync(dead)).to.equal(false);
    expect(existsSync(mine)).to.equal(true);
  });
});
