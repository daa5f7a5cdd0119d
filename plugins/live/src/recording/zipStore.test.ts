import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipFiles } from './zipStore.js';
import { tempDir } from '../../../../test/support/tempDir.js';

const exec = promisify(execFile);

describe('zipFiles', () => {
  it('writes a zip that unzip tests clean and extracts byte for byte', async () => {
    const dir = await tempDir('zip-');
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    await writeFile(path.join(dir, 'a.webm'), big);
    await writeFile(path.join(dir, 'b.json'), '{"files":[]}');
    await zipFiles(path.join(dir, 'out.zip'), [
      { name: 'str_CAM_abcd_con_x.webm', path: path.join(dir, 'a.webm') },
      { name: 'name~1.json', path: path.join(dir, 'b.json') },
    ]);
    const { stdout } = await exec('unzip', ['-t', path.join(dir, 'out.zip')]);
    expect(stdout).to.contain('No errors detected');
    await exec('unzip', ['-q', path.join(dir, 'out.zip'), '-d', path.join(dir, 'x')]);
    expect((await readFile(path.join(dir, 'x', 'str_CAM_abcd_con_x.webm'))).equals(big)).to.equal(true);
    expect(await readFile(path.join(dir, 'x', 'name~1.json'), 'utf8')).to.equal('{"files":[]}');
  });
});
