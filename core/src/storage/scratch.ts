import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Runs `use` with a new private folder below `root`, removed once `use` settles, whatever happens. A process killed
 * meanwhile cannot remove it: `root` is its own (scratchRootOf), and the next start on the machine removes it.
 */
export async function withScratchDir<T>(root: string, label: string, use: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(root, `${label.replace(/[^\w-]/g, '_')}-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** This process's scratch folder in the machine's data folder: `<dataDir>/scratch/<pid>`. */
export function scratchRootOf(dataDir: string, pid = process.pid): string {
  return path.join(dataDir, 'scratch', String(pid));
}

/**
 * Points this process's temporary files (os.tmpdir(): libraries' buffers, such as tus's S3 part chunks) into its scratch
 * folder, so that what a killed process left there is removed with the rest of its scratch at the next start.
 */
export async function keepTemporaryFilesInScratch(dataDir: string): Promise<string> {
  const dir = path.join(scratchRootOf(dataDir), 'tmp');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  process.env.TMPDIR = dir;
  return dir;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the scratch folders of processes that are gone (killed mid-job); returns how many. */
export async function removeDeadScratch(dataDir: string): Promise<number> {
  const base = path.join(dataDir, 'scratch');
  const entries = await readdir(base).catch(() => [] as string[]);
  let removed = 0;
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid || isAlive(Number(name))) continue;
    await rm(path.join(base, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
