import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { ferretdbPid, useOwnDatabase } from './support/ownDatabase.js';

/** Permission bits in octal, e.g. '600', so a failure reads like ls. */
async function modeOf(file: string): Promise<string> {
  return ((await stat(file)).mode & 0o777).toString(8);
}

/** Inodes of the TCP sockets (v4 and v6) in LISTEN state on this machine. */
async function listeningTcpInodes(): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const fields of lines.map((line) => line.trim().split(/\s+/))) {
      if (fields[3] === '0A') inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** The TCP ports a process listens on, read from /proc (any address, v4 or v6). */
async function tcpListenersOf(pid: number): Promise<string[]> {
  const listening = await listeningTcpInodes();
  const found: string[] = [];
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) found.push(inode);
  }
  return found;
}

/** Tries to open the socket as the unprivileged `nobody` user, with curl; its exit code 7 means it could not connect. */
function connectAsNobody(socket: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('curl', ['-sS', '--max-time', '5', '--unix-socket', socket, 'http://db/'], { uid: 65534, gid: 65534 });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('embedded database access', () => {
  let conf: TestConf;
  let dbDir: string;
  let app: RunningProcess;
  before(async () => {
    conf = await makeConf({ plugins: [] });
    dbDir = await useOwnDatabase(conf);
    // As an older version left them: readable by everyone.
    await mkdir(dbDir, { recursive: true, mode: 0o755 });
    await chmod(conf.dataDir, 0o755);
    app = await startProcess(conf, 'app');
  });
  after(() => app?.stop());

  it('is reachable only through an owner-only unix socket: no TCP port, and another local user is refused', async () => {
    const pid = await ferretdbPid(dbDir);
    expect(await tcpListenersOf(pid), 'TCP sockets FerretDB listens on').to.deep.equal([]);

    const socket = path.join(dbDir, 'ferretdb.sock');
    expect((await stat(socket)).isSocket()).to.equal(true);
    expect(await modeOf(socket)).to.equal('600');

    const state = JSON.parse(await readFile(path.join(dbDir, 'ferretdb.json'), 'utf8')) as { uri: string };
    const owner = await mongoose.createConnection(state.uri, { dbName: conf.database, serverSelectionTimeoutMS: 5000 }).asPromise();
    expect(await owner.collection('users').estimatedDocumentCount()).to.equal(0);
    await owner.close();

    // Only root can act as another user; the suite runs as root in CI.
    if (process.getuid?.() === 0) {
      const stranger = await connectAsNobody(socket);
      expect(stranger.code, stranger.stderr).to.equal(7);
    }
  });

  it('keeps the data folder, the database folder, its secrets and SQLite files owner-only', async () => {
    for (const dir of [conf.dataDir, dbDir, path.join(dbDir, 'sqlite'), path.join(dbDir, 'clients'), path.join(conf.dataDir, 'secrets')]) {
      expect(await modeOf(dir), dir).to.equal('700');
    }
    const sqliteFiles = await readdir(path.join(dbDir, 'sqlite'));
    expect(sqliteFiles.some((name) => name.endsWith('.sqlite'))).to.equal(true);
    for (const name of sqliteFiles) expect(await modeOf(path.join(dbDir, 'sqlite', name)), name).to.equal('600');
    for (const name of ['ferretdb.json', 'ferretdb.log', 'ferretdb.out']) expect(await modeOf(path.join(dbDir, name)), name).to.equal('600');
  });
});
