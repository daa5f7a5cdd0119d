import { z } from '@mediahost/core';

/** WeVideo's pagination: page from 1, pageSize, and metadata {noResults, page, pageSize}. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(20),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const skipOf = (query: PageQuery) => (query.page - 1) * query.pageSize;

export function paged<T>(data: T[], total: number, query: PageQuery) {
  return { data, metadata: { noResults: total, page: query.page, pageSize: query.pageSize } };
}
