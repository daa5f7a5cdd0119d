import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Runs `use` with a new private folder under the system's temporary folder, removed once `use` settles, whatever happens. */
export async function withScratchDir<T>(label: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mediahost-${label.replace(/[^\w-]/g, '_')}-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
