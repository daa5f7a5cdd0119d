import { parseInput, z } from '@mediahost/core';

const numericId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A numeric id from the path: a 400 for anything else. */
export function idParam(value: string | undefined, name = 'id'): number {
  return parseInput(z.object({ [name]: numericId }), { [name]: value })[name] as number;
}

export const optionalId = numericId.optional();
export const roleKind = z.enum(['user', 'lead', 'admin']);
