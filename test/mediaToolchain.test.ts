import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeConf, rootDir, serverJs, type TestConf } from './support/platform.js';
import { mediaBinaries } from './support/toolchain.js';

function start(conf: TestConf, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [serverJs, '--conf', conf.confDir], { cwd: rootDir, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the media toolchain at start', () => {
  it('stops with one message saying how to install ffmpeg when none is on PATH', async () => {
    const conf = await makeConf();
    const result = await start(conf, { PATH: path.dirname(process.execPath), HOME: process.env.HOME });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('ffmpeg and ffprobe not found on PATH nor set in conf/serverConf.json').and.to.contain('apt-get install ffmpeg');
    expect(result.stderr.trim().split('\n')).to.have.length(1);
  });

  it('names the binary, its version and everything an old ffmpeg lacks, with the plugins that need it', async () => {
    const base = await makeConf();
    const stub = path.join(base.dataDir, 'old-ffmpeg', 'ffmpeg');
    await mkdir(path.dirname(stub), { recursive: true });
    const real = mediaBinaries().ffmpeg;
    // The real ffmpeg, but reporting 4.3 and missing xfade and apad's whole_dur, as the npm-shipped 2018 build does.
    await writeFile(
      stub,
      `#!/bin/sh\ncase "$*" in\n*-filters*) "${real}" "$@" | grep -v ' xfade ' ;;\n*filter=apad*) "${real}" "$@" | grep -v whole_dur ;;\n` +
        `*-version*) "${real}" "$@" | sed 's/^ffmpeg version [^ ]*/ffmpeg version 4.3.2/' ;;\n*) exec "${real}" "$@" ;;\nesac\n`,
    );
    await chmod(stub, 0o755);
    const conf = await makeConf({ server: { ffmpegPath: stub } });
    const result = await start(conf, process.env);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain(`The ffmpeg found at ${stub} (version 4.3.2) lacks what mediahost needs:`);
    expect(result.stderr).to.contain('version ≥ 5.1').and.to.contain('filter xfade (editor)').and.to.contain('filter apad with option whole_dur (editor)');
    expect(result.stderr).to.contain('apt-get install ffmpeg');
    expect(result.stderr).not.to.contain('filter scale');
  });
});
