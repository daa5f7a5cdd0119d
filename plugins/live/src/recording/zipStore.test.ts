import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

  it('is readable by a streaming reader: `jar x` from stdin reads it with java.util.zip.ZipInputStream', async () => {
    const dir = await tempDir('zip-stream-');
    const media = randomBytes(200_000);
    await writeFile(path.join(dir, 'a.webm'), media);
    await writeFile(path.join(dir, 'b.json'), '{}');
    await zipFiles(path.join(dir, 'out.zip'), [
      { name: 'str_CAM_x.webm', path: path.join(dir, 'a.webm') },
      { name: 'rec.json', path: path.join(dir, 'b.json') },
    ]);
    const out = path.join(dir, 'streamed');
    await mkdir(out);
    await new Promise<void>((resolve, reject) => {
      const jar = spawn('jar', ['x'], { cwd: out, stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      jar.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      jar.on('error', reject);
      jar.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`jar x failed (${code}): ${stderr}`))));
      // jar stops reading at a bad entry: its exit code says so, not the broken pipe
      jar.stdin.on('error', () => undefined);
      createReadStream(path.join(dir, 'out.zip')).pipe(jar.stdin);
    });
    expect((await readFile(path.join(out, 'str_CAM_x.webm'))).equals(media)).to.equal(true);
    expect(await readFile(path.join(out, 'rec.json'), 'utf8')).to.equal('{}');
  });
});
