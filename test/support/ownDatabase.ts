import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestConf } from './platform.js';

/**
 * Points a conf at an embedded FerretDB of its own under its data folder (instead of the run's shared one),
 * for tests that watch that server start, stop or refuse strangers. Returns the database folder.
 */
export async function useOwnDatabase(conf: TestConf): Promise<string> {
  const dir = path.join(conf.dataDir, 'db');
  await writeFile(path.join(conf.confDir, 'databaseConf.json'), JSON.stringify({ database: conf.database, embedded: { dataDir: dir } }));
  return dir;
}

/** The pid of the FerretDB server recorded in a database folder. */
export async function ferretdbPid(dir: string): Promise<number> {
  return (JSON.parse(await readFile(path.join(dir, 'ferretdb.json'), 'utf8')) as { pid: number }).pid;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
