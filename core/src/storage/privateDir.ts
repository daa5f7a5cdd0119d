import { chmod, mkdir } from 'node:fs/promises';
import { StartupError } from '../errors.js';

/**
 * Creates `dir` if needed and makes it owner-only (0700), also when an older version or an operator made it 0755:
 * it holds the database, its socket and secrets, which no other local user may read or reach.
 */
export async function makePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (error) {
    throw new StartupError(`Cannot make ${dir} an owner-only folder (0700): ${(error as Error).message}`);
  }
}
