import { isValidObjectId } from 'mongoose';
import { ConflictError, NotFoundError } from '../errors.js';

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/** Runs a write and turns a unique-index violation into a 409 with the given message. */
export async function uniquely<T>(write: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError(conflictMessage);
    throw error;
  }
}

/** An id that cannot be an ObjectId cannot name anything: it is a 404 like any unknown id. */
export function assertObjectId(id: string, what: string): void {
  if (!isValidObjectId(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError(`${what} ${id} not found`);
}
