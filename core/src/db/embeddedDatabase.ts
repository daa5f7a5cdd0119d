import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { StartupError } from '../errors.js';
import { makePrivateDir } from '../storage/privateDir.js';
import { ensureFerretdbBinary } from './ferretdbBinary.js';
import { superviseServer } from './superviseServer.js';

/**
 * One FerretDB server per data folder, shared by every mediahost process using it.
 * The first process to need it starts it; each user registers under clients/; the last to leave stops it.
 * A lock on the folder serializes all of this so two starts at once cannot make two servers.
 * FerretDB v1 cannot require a login, so it listens only on a unix socket inside this owner-only folder:
 * no other local user can reach it, nor read its SQLite files.
 */
export interface EmbeddedDatabase {
  uri: string;
  release(): Promise<void>;
}

/** What the supervision of the shared server reports while a process runs (it has no logger of its own). */
export type SupervisionReport = (event: 'restarted' | 'restart failed', details: Record<string, unknown>) => void;

interface ServerState {
  pid: number;
  uri: string;
  socket: string;
}

/** The longest unix socket path Linux accepts (sun_path is 108 bytes with its terminating NUL). */
const MAX_SOCKET_PATH = 107;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(socketPath: string | undefined): Promise<boolean> {
  if (!socketPath) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
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

/** Runs `work` holding the database folder's lock: the one place where its server is started or stopped. */
export async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
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

function socketPathIn(dir: string): string {
  return path.resolve(dir, 'ferretdb.sock');
}

/** Files made by versions that created them 0644 become owner-only; the launcher's umask covers new ones. */
async function restrictSqliteFiles(sqliteDir: string): Promise<void> {
  await makePrivateDir(sqliteDir);
  for (const name of await readdir(sqliteDir)) await chmod(path.join(sqliteDir, name), 0o600);
}

async function startServer(binary: string, dir: string): Promise<ServerState> {
  const outFile = path.join(dir, 'ferretdb.out');
  const out = openSync(outFile, 'w', 0o600);
  const err = openSync(path.join(dir, 'ferretdb.log'), 'a', 0o600);
  const sqliteDir = path.join(dir, 'sqlite');
  await restrictSqliteFiles(sqliteDir);
  const socket = socketPathIn(dir);
  // A server killed hard leaves its socket file behind, and listening on it would fail.
  await rm(socket, { force: true });
  const child = spawn(binary, [`-sqlite-url=file:${sqliteDir}/`, `-listen-unix=${socket}`], {
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
    if (line) return { pid: child.pid!, uri: line.slice('listening '.length).trim(), socket };
    if (exited !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (exited === null) child.kill('SIGKILL');
  const log = await readFile(path.join(dir, 'ferretdb.log'), 'utf8').catch(() => '');
  throw new StartupError(`The embedded FerretDB did not start (see ${dir}/ferretdb.log):\n${log.slice(-2000)}`);
}

/** The running server, or a new one when the recorded one is gone or does not answer. Call holding the lock. */
async function ensureServer(binary: string, dir: string, stateFile: string): Promise<{ state: ServerState; started: boolean }> {
  const state = await readState(stateFile);
  if (state && isAlive(state.pid) && (await canConnect(state.socket))) return { state, started: false };
  if (state && isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  const started = await startServer(binary, dir);
  await writeFile(stateFile, JSON.stringify(started), { mode: 0o600 });
  return { state: started, started: true };
}

/** Whether the recorded server is gone: its process exited, or its socket refuses connections. */
async function serverIsDown(stateFile: string): Promise<boolean> {
  const state = await readState(stateFile);
  return !state || !isAlive(state.pid) || !(await canConnect(state.socket));
}

export async function acquireEmbeddedDatabase(
  dir: string,
  binaryOption: string | undefined,
  progress: (line: string) => void,
  report: SupervisionReport = () => undefined,
): Promise<EmbeddedDatabase> {
  const socketPath = socketPathIn(dir);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new StartupError(
      `The embedded database folder ${dir} is too deep for its unix socket (${socketPath} is over ${MAX_SOCKET_PATH} bytes): ` +
        'set a shorter databaseConf.json "embedded.dataDir".',
    );
  }
  await makePrivateDir(dir);
  const stateFile = path.join(dir, 'ferretdb.json');
  const clientsDir = path.join(dir, 'clients');
  await makePrivateDir(clientsDir);
  const binary = await ensureFerretdbBinary(binaryOption, progress);

  const uri = await withLock(dir, async () => {
    const { state } = await ensureServer(binary, dir, stateFile);
    await writeFile(path.join(clientsDir, String(process.pid)), '', { mode: 0o600 });
    return state.uri;
  });

  // Every client watches; the lock lets the first to notice a crash start the new server on the same socket,
  // and the others find it running. The drivers reconnect by themselves since the address does not change.
  const supervisor = superviseServer({
    isDown: () => serverIsDown(stateFile),
    restart: () =>
      withLock(dir, async () => {
        const { state, started } = await ensureServer(binary, dir, stateFile);
        if (started) report('restarted', { pid: state.pid, socket: state.socket });
      }),
    onError: (error) => report('restart failed', { error }),
  });

  let released = false;
  return {
    uri,
    release: async () => {
      if (released) return;
      released = true;
      await supervisor.stop();
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
