import { spawnSync } from 'node:child_process';
import os from 'node:os';

const SERVER_CORE = 0;
const CLIENT_CORE = 1;

function setAffinity(pid: number, cores: string): boolean {
  // -a: every thread of the process (libuv's pool, V8's helpers), not only its main one.
  return spawnSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs `measure` with the server processes on one core and this process (the client) on another, then gives them
 * every core back: the server's rate is then what one core of its own serves, whichever core the scheduler would
 * have put the client on. Where taskset is missing or there is one core, it runs unpinned; the result says which.
 */
export async function onSeparateCores<T>(serverPids: number[], measure: () => Promise<T>): Promise<{ result: T; pinned: boolean }> {
  const all = `0-${os.availableParallelism() - 1}`;
  const pinned = os.availableParallelism() >= 2 && serverPids.every((pid) => setAffinity(pid, String(SERVER_CORE))) && setAffinity(process.pid, String(CLIENT_CORE));
  try {
    return { result: await measure(), pinned };
  } finally {
    for (const pid of [...serverPids, process.pid]) setAffinity(pid, all);
  }
}
