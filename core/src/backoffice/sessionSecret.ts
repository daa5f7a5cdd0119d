import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSecret } from '../auth/secrets.js';

/** The session-signing secret: from serverConf.json, else generated once into the data folder (mode 0600). */
export async function sessionSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'session.secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = generateSecret(48);
    try {
      await writeFile(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // another process created it first
      return (await readFile(file, 'utf8')).trim();
    }
  }
}
