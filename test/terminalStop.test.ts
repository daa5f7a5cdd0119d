import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeConf, rootDir, startProcess, type TestConf } from './support/platform.js';
import { ferretdbPid, processExists, useOwnDatabase } from './support/ownDatabase.js';
import { waitFor } from './support/waitFor.js';

const startAll = path.join(rootDir, 'scripts/start-all.js');

/** `pnpm start` as a terminal runs it: start-all.js leading a process group of its own, with both processes in it. */
function startInTerminal(conf: TestConf): Promise<{ pid: number; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [startAll, '--conf', conf.confDir], { cwd: rootDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return waitFor(() => (output.match(/listening on http/g)?.length ?? 0) === 2, 60_000, 'both processes to listen').then(() => ({
    pid: child.pid!,
    exited,
    output: () => output,
  }));
}

/** A pid that no process has any more: a client that crashed. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** A failing run must not leave its FerretDB running after the temporary folders are gone. */
function killIfLeft(serverPid: number): void {
  if (processExists(serverPid)) process.kill(serverPid, 'SIGKILL');
}

async function expectStoppedCleanly(conf: TestConf, dbDir: string, serverPid: number): Promise<void> {
  for (const name of ['app', 'ws']) {
    const log = await readFile(path.join(conf.logDir, `${name}.log`), 'utf8');
    expect(log, `${name}.log ends: ${log.slice(-1500)}`).to.contain('SIGINT: stopping').and.to.contain('"message":"stopped"');
  }
  expect(await readdir(path.join(dbDir, 'clients'))).to.deep.equal([]);
  await waitFor(() => !processExists(serverPid), 10_000, 'the embedded FerretDB to exit');
}

describe('stopping from a terminal', () => {
  for (const [what, signals] of [
    ['Ctrl-C', 1],
    ['Ctrl-C twice quickly', 2],
  ] as const) {
    it(`${what} to the process group stops both processes cleanly, and the embedded FerretDB with them`, async () => {
      const conf = await makeConf();
      const dbDir = await useOwnDatabase(conf);
      const terminal = await startInTerminal(conf);
      const serverPid = await ferretdbPid(dbDir);
      try {
        for (let sent = 0; sent < signals; sent += 1) process.kill(-terminal.pid, 'SIGINT');
        expect(await terminal.exited, terminal.output()).to.equal(0);
        await expectStoppedCleanly(conf, dbDir, serverPid);
      } finally {
        if (processExists(-terminal.pid)) process.kill(-terminal.pid, 'SIGKILL');
        killIfLeft(serverPid);
      }
    });
  }

  it('stops the embedded FerretDB when its last live client stops, despite the entry a crashed client left', async () => {
    const conf = await makeConf();
    const dbDir = await useOwnDatabase(conf);
    const app = await startProcess(conf, 'app');
    const serverPid = await ferretdbPid(dbDir);
    try {
      await writeFile(path.join(dbDir, 'clients', String(await deadPid())), '');
      expect(await app.stop('SIGINT')).to.equal(0);
      expect(await readdir(path.join(dbDir, 'clients'))).to.deep.equal([]);
      await waitFor(() => !processExists(serverPid), 10_000, 'the embedded FerretDB to exit');
    } finally {
      killIfLeft(serverPid);
    }
  });
});
