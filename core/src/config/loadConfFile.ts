import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * Reads conf/<fileName> and validates it. An absent optional file validates as `{}`,
 * so schemas carry the defaults. Any problem names the file and the offending key.
 */
export async function loadConfFile<S extends z.ZodType>(
  confDir: string,
  fileName: string,
  schema: S,
  { optional = false } = {},
): Promise<z.infer<S>> {
  const file = path.join(confDir, fileName);
  let raw: unknown = {};
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (!optional) throw new ConfigError(file, undefined, 'file is missing');
    } else if (error instanceof SyntaxError) {
      throw new ConfigError(file, undefined, `not valid JSON (${error.message})`);
    } else {
      throw new ConfigError(file, undefined, `cannot be read (${(error as Error).message})`);
    }
  }
  return validateConf(file, raw, schema);
}

export function validateConf<S extends z.ZodType>(file: string, raw: unknown, schema: S): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.length ? issue.path.map(String).join('.') : undefined;
  throw new ConfigError(file, key, issue.message);
}
