import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError } from '../errors.js';
import { filesBelow, linkFile, linkTree } from './linkTree.js';
import type { ByteRange, Storage, StoredObject } from './storage.js';

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** A plugin's media folder on this machine's disk. Every key goes through resolve(), which never leaves the root. */
export class LocalStorage implements Storage {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  bucket(): undefined {
    return undefined;
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

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.resolve(key);
    await mkdir(path.dirname(target), { recursive: true });
    if (path.resolve(localPath) === target) return;
    try {
      await rename(localPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(localPath, target);
      await rm(localPath, { force: true });
    }
  }

  async putTree(prefix: string, localDir: string): Promise<void> {
    const target = this.resolve(prefix);
    if (target === this.root) throw new NotFoundError('File not found');
    await rm(target, { recursive: true, force: true });
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(localDir, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await linkTree(localDir, target);
      await rm(localDir, { recursive: true, force: true });
    }
  }

  async getFile(key: string, localPath: string): Promise<void> {
    try {
      await copyFile(this.resolve(key), localPath);
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('File not found');
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const found = await stat(this.resolve(key));
      if (!found.isFile()) return undefined;
      return { size: found.size, modifiedAt: found.mtime, etag: `W/"${found.size.toString(16)}-${found.mtime.getTime().toString(16)}"` };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    let handle;
    try {
      handle = await open(this.resolve(key), 'r');
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    } catch (error) {
      await handle?.close();
      if (isMissing(error)) throw new NotFoundError('File not found');
      throw error;
    }
    return handle.createReadStream({ autoClose: true, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.resolve(prefix);
    const base = path.relative(this.root, dir).split(path.sep).join('/');
    try {
      return (await filesBelow(dir)).map((file) => (base ? `${base}/${file}` : file));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async copyTree(from: string, to: string): Promise<void> {
    const target = this.resolve(to);
    await rm(target, { recursive: true, force: true });
    await linkTree(this.resolve(from), target);
  }

  async copy(from: string, to: string): Promise<void> {
    const target = this.resolve(to);
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { force: true });
    try {
      await linkFile(this.resolve(from), target);
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('File not found');
      throw error;
    }
  }

  async withScratch<T>(label: string, use: (dir: string) => Promise<T>): Promise<T> {
    const dir = this.resolve(`.scratch/${label.replace(/[^\w-]/g, '_')}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    try {
      return await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  async useLocalCopy<T>(key: string, use: (localPath: string) => Promise<T>): Promise<T> {
    const file = this.resolve(key);
    if (!(await this.stat(key))) throw new NotFoundError('File not found');
    return use(file);
  }
}

export type { Storage } from './storage.js';
