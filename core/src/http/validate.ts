import type { z } from 'zod';
import { BadRequestError } from '../errors.js';

/** Parses untrusted input; a failure is a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
  const first = fields[0]!;
  throw new BadRequestError(first.field ? `${first.field}: ${first.message}` : first.message, fields);
}
