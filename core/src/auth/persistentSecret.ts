import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSecret } from '../credentials/secrets.js';

/**
 * A secret that must survive restarts and be the same in every process (cookie signing keys…):
 * read from `file`, or generated into it once (mode 0600) by whichever process gets there first.
 */
export async function persistentSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(path.dirname(file), { recursive: true });
    const secret = generateSecret(48);
    try {
      await writeFile(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return (await readFile(file, 'utf8')).trim();
    }
  }
}
