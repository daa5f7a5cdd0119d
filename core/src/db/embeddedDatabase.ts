import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { StartupError } from '../errors.js';
import { ensureFerretdbBinary } from './ferretdbBinary.js';

/**
 * One FerretDB server per data folder, shared by every mediahost process using it.
 * The first process to need it starts it; each user registers under clients/; the last to leave stops it.
 * A lock on the folder serializes all of this so two starts at once cannot make two servers.
 */
export interface EmbeddedDatabase {
  uri: string;
  release(): Promise<void>;
}

interface ServerState {
  pid: number;
  uri: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function readState(file: string): Promise<ServerState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ServerState;
  } catch {
    return undefined;
  }
}

async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const unlock = await lockfile.lock(dir, {
    lockfilePath: path.join(dir, 'ferretdb.lock'),
    stale: 15_000,
    retries: { retries: 600, minTimeout: 50, maxTimeout: 500 },
  });
  try {
    return await work();
  } finally {
    await unlock();
  }
}

async function liveClients(clientsDir: string): Promise<number[]> {
  const alive: number[] = [];
  for (const name of await readdir(clientsDir).catch(() => [] as string[])) {
    const pid = Number(name);
    if (Number.isInteger(pid) && isAlive(pid)) alive.push(pid);
    else await rm(path.join(clientsDir, name), { force: true });
  }
  return alive;
}

async function startServer(binary: string, dir: string): Promise<ServerState> {
  const outFile = path.join(dir, 'ferretdb.out');
  const out = openSync(outFile, 'w');
  const err = openSync(path.join(dir, 'ferretdb.log'), 'a');
  const sqliteDir = path.join(dir, 'sqlite');
  await mkdir(sqliteDir, { recursive: true });
  const child = spawn(binary, [`-sqlite-url=file:${sqliteDir}/`, '-listen-addr=127.0.0.1:0'], {
    detached: true,
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));
  child.unref();

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const line = (await readFile(outFile, 'utf8')).split('\n').find((l) => l.startsWith('listening '));
    if (line) return { pid: child.pid!, uri: line.slice('listening '.length).trim() };
    if (exited !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (exited === null) child.kill('SIGKILL');
  const log = await readFile(path.join(dir, 'ferretdb.log'), 'utf8').catch(() => '');
  throw new StartupError(`The embedded FerretDB did not start (see ${dir}/ferretdb.log):\n${log.slice(-2000)}`);
}

export async function acquireEmbeddedDatabase(
  dir: string,
  binaryOption: string | undefined,
  progress: (line: string) => void,
): Promise<EmbeddedDatabase> {
  await mkdir(path.join(dir, 'clients'), { recursive: true });
  const stateFile = path.join(dir, 'ferretdb.json');
  const clientsDir = path.join(dir, 'clients');
  const binary = await ensureFerretdbBinary(binaryOption, progress);

  const uri = await withLock(dir, async () => {
    let state = await readState(stateFile);
    if (!state || !isAlive(state.pid) || !(await canConnect(state.uri))) {
      if (state && isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
      state = await startServer(binary, dir);
      await writeFile(stateFile, JSON.stringify(state));
    }
    await writeFile(path.join(clientsDir, String(process.pid)), '');
    return state.uri;
  });

  let released = false;
  return {
    uri,
    release: async () => {
      if (released) return;
      released = true;
      await withLock(dir, async () => {
        await rm(path.join(clientsDir, String(process.pid)), { force: true });
        if ((await liveClients(clientsDir)).length > 0) return;
        const state = await readState(stateFile);
        if (state && isAlive(state.pid)) process.kill(state.pid, 'SIGTERM');
        await rm(stateFile, { force: true });
      });
    },
  };
}
