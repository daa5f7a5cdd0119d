import path from 'node:path';
import { NotFoundError } from '../errors.js';

/**
 * A key as '/'-separated segments below a plugin's space: leading slashes dropped, `.` segments folded; a key that
 * would climb out (`..`) or carries a NUL is a 404, as a local path outside the root is.
 */
export function normalizeKey(key: string): string {
  if (key.includes('\0')) throw new NotFoundError('File not found');
  const posix = key.replace(/\\/g, '/').replace(/^\/+/, '');
  const normalized = path.posix.normalize(posix === '' ? '.' : posix);
  if (normalized === '..' || normalized.startsWith('../')) throw new NotFoundError('File not found');
  return normalized === '.' ? '' : normalized.replace(/\/+$/, '');
}
