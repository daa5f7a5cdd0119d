import type { Storage } from './storage.js';

/**
 * Runs `use` with a local file for each key, in order: Storage.useLocalCopy for several objects at once (a render's
 * inputs). Every scratch copy is removed once `use` settles, whatever happens.
 */
export function withLocalCopies<T>(storage: Storage, keys: string[], use: (paths: string[]) => Promise<T>): Promise<T> {
  const next = (got: string[]): Promise<T> =>
    got.length === keys.length ? use(got) : storage.useLocalCopy(keys[got.length]!, (local) => next([...got, local]));
  return next([]);
}
