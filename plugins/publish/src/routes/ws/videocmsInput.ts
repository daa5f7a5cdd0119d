import type { Context } from 'koa';
import { parseInput, z } from '@mediahost/core';

/**
 * A VideoCMS request's fields, as Echo binds them: query (for GET and DELETE) then body (JSON or form), keys matched
 * case-insensitively, so { "LinkID": 1 }, { "linkId": 1 } and ?LinkID=1 all read as linkid.
 */
export function fields<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  const merged: Record<string, unknown> = {};
  const add = (source: unknown) => {
    if (source && typeof source === 'object' && !Array.isArray(source)) for (const [key, value] of Object.entries(source)) merged[key.toLowerCase()] = value;
  };
  if (ctx.method === 'GET' || ctx.method === 'DELETE') add(ctx.query);
  add(ctx.request.body);
  return parseInput(schema, merged);
}

export const id = z.coerce.number().int().positive();
/** 0 or absent is the root folder. */
export const parentFolderId = z.coerce.number().int().min(0).default(0).transform((n) => (n === 0 ? null : n));
export const name = z.string().trim().min(1).max(120);

/** [{LinkID: 1}, …] or [{FolderID: 1}, …]: VideoCMS bulk bodies; at most 1000, no duplicates. */
export function idObjects(key: string) {
  return z
    .array(z.record(z.string(), z.unknown()).transform((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]))).pipe(z.object({ [key]: id })))
    .min(1, 'the array is empty')
    .max(1000, 'max requested items exceeded')
    .transform((items) => items.map((item) => item[key] as number))
    .refine((ids) => new Set(ids).size === ids.length, 'the items have to be distinct');
}
