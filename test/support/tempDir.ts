import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testRoot } from './globalDatabase.js';

/**
 * A new folder inside the test run's own folder, which the run removes at its end: tests never leave it in the
 * system's. Outside a mocha run (the benchmarks reuse test helpers) it is a mediahost- folder the caller removes.
 */
export async function tempDir(prefix: string): Promise<string> {
  if (!testRoot()) return mkdtemp(path.join(os.tmpdir(), `mediahost-${prefix}`));
  const work = path.join(testRoot(), 'work');
  await mkdir(work, { recursive: true });
  return mkdtemp(path.join(work, prefix));
}
