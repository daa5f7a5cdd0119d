import winston from 'winston';

const MAX_DEPTH = 5;

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  stack?: string;
  cause?: unknown;
  errors?: unknown;
}

/** An Error as plain data: JSON.stringify keeps only own enumerable fields, which for a driver error is `{"errorLabelSet":{}}`. */
export function serializeError(error: ErrorLike, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.code !== undefined) out.code = error.code;
  if (error.stack) out.stack = error.stack;
  if (depth < MAX_DEPTH && error.cause !== undefined) out.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : error.cause;
  if (depth < MAX_DEPTH && Array.isArray(error.errors)) out.errors = error.errors.map((inner) => (inner instanceof Error ? serializeError(inner, depth + 1) : inner));
  return out;
}

/** Logs every Error found among an entry's fields with its message, name, code, stack and causes. */
export const errorFields = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) info[key] = serializeError(value);
  }
  return info;
});
