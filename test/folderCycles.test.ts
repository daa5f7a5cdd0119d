import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { tempDir } from './support/tempDir.js';

const run = promisify(execFile);
const script = path.resolve('scripts/check-folder-cycles.js');

/** The build's check: exit code and what it printed, for the folders given (the workspace's sources when none). */
async function checkFolderCycles(...folders: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...folders]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** src/a/x.ts imports src/b; src/b/y.ts imports src/a/z.ts when `backEdge`: no file cycle, but a folder cycle. */
async function fixture(backEdge: boolean): Promise<string> {
  const src = path.join(await tempDir('folder-cycles-'), 'src');
  await mkdir(path.join(src, 'a'), { recursive: true });
  await mkdir(path.join(src, 'b'), { recursive: true });
  await writeFile(path.join(src, 'a', 'x.ts'), "import { y } from '../b/y.js';\nexport const x = y;\n");
  await writeFile(path.join(src, 'a', 'z.ts'), 'export const z = 1;\n');
  await writeFile(path.join(src, 'b', 'y.ts'), backEdge ? "import { z } from '../a/z.js';\nexport const y = z;\n" : 'export const y = 1;\n');
  return src;
}

describe('build: no folder-level import cycle', () => {
  it('fails on two folders importing each other, though no file imports itself back', async () => {
    const { code, output } = await checkFolderCycles(await fixture(true));
    expect(code).to.not.equal(0);
    expect(output).to.match(/no-folder-cycles: \S*src\/a/);
    expect(output).to.match(/no-folder-cycles: \S*src\/b/);
  });

  it('passes when the imports go one way', async () => {
    const { code, output } = await checkFolderCycles(await fixture(false));
    expect(output).to.contain('no dependency violations found');
    expect(code).to.equal(0);
  });

  it('finds none in core/src and the plugins’ src', async () => {
    const { code, output } = await checkFolderCycles();
    expect(output).to.contain('no dependency violations found');
    expect(code).to.equal(0);
  });
});
