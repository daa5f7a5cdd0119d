import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { persistentSecret } from './persistentSecret.js';

export interface TokenKey {
  id: string;
  /** A KeyObject: HMAC with a raw Buffer key costs several times more per call. */
  secret: KeyObject;
}

const CURRENT = 'core.access-token-key';
const PREVIOUS = 'core.access-token-key.previous';
/** A token naming a key this process does not know makes it read the key files again, at most this often. */
const RELOAD_INTERVAL_MS = 1000;

function keyOf(secret: string): TokenKey {
  return { id: createHash('sha256').update(secret).digest('base64url').slice(0, 8), secret: createSecretKey(Buffer.from(secret, 'utf8')) };
}

async function readOptional(file: string): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises');
  return readFile(file, 'utf8').then((text) => text.trim() || undefined, () => undefined);
}

/**
 * The keys access tokens are signed with, kept in the data folder's secrets (0600) so every process of the
 * platform shares them. Tokens are signed with the current key and accepted under the current or the previous
 * one: a rotation keeps tokens already issued valid until they expire, and a second rotation voids them.
 */
export class TokenKeyRing {
  private current!: TokenKey;
  private previous?: TokenKey;
  private lastReload = 0;

  constructor(private readonly secretsDir: string) {}

  async load(): Promise<this> {
    this.current = keyOf(await persistentSecret(path.join(this.secretsDir, CURRENT)));
    const previous = await readOptional(path.join(this.secretsDir, PREVIOUS));
    this.previous = previous ? keyOf(previous) : undefined;
    this.lastReload = Date.now();
    return this;
  }

  signingKey(): TokenKey {
    return this.current;
  }

  /** The key of this id, reloading the ring when another process may have rotated it. */
  async verificationKey(id: string): Promise<TokenKey | undefined> {
    const known = this.known(id);
    if (known || Date.now() - this.lastReload < RELOAD_INTERVAL_MS) return known;
    await this.load();
    return this.known(id);
  }

  known(id: string): TokenKey | undefined {
    if (this.current.id === id) return this.current;
    return this.previous?.id === id ? this.previous : undefined;
  }

  /** Makes a new current key; the current one becomes the previous, and the previous is dropped. */
  static async rotate(secretsDir: string): Promise<void> {
    await rename(path.join(secretsDir, CURRENT), path.join(secretsDir, PREVIOUS)).catch(() => undefined);
    await persistentSecret(path.join(secretsDir, CURRENT));
  }
}
