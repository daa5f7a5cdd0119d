import { z } from 'zod';

/** OpenVeo pagination: `page` is 0-based, `limit` defaults to 10. */
export const paginationQuerySchema = z.object({
  page: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(10),
});
export type PaginationQuery = z.infer<typeof paginationQuerySchema>;

/** The pagination object of OpenVeo's list answers. */
export const paginationSchema = z.object({ limit: z.number().int(), page: z.number().int(), pages: z.number().int(), size: z.number().int() });
export type Pagination = z.output<typeof paginationSchema>;

export function paginationOf(query: PaginationQuery, size: number): Pagination {
  return { limit: query.limit, page: query.page, pages: Math.ceil(size / query.limit), size };
}
