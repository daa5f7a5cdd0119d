import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../errors.js';

/** A plugin's media folder. Everything a plugin stores goes through resolve(), which never leaves the root. */
export interface Storage {
  readonly root: string;
  /** The absolute path of a stored file; a path that would escape the root is a 404. */
  resolve(relativePath: string): string;
  ensureDir(relativePath: string): Promise<string>;
  remove(relativePath: string): Promise<void>;
}

export class LocalStorage implements Storage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  resolve(relativePath: string): string {
    if (relativePath.includes('\0')) throw new NotFoundError('File not found');
    const absolute = path.resolve(this.root, relativePath.replace(/^[/\\]+/, ''));
    if (absolute !== this.root && !absolute.startsWith(this.root + path.sep)) throw new NotFoundError('File not found');
    return absolute;
  }

  async ensureDir(relativePath: string): Promise<string> {
    const dir = this.resolve(relativePath);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async remove(relativePath: string): Promise<void> {
    const target = this.resolve(relativePath);
    if (target === this.root) throw new NotFoundError('File not found');
    await rm(target, { recursive: true, force: true });
  }
}
