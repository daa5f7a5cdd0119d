import { paginationSchema, z } from '@mediahost/core';

/** A video as OpenVeo's web service answers it: state 0 ERROR, 1 PENDING, 11 READY. */
export const videoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  state: z.number().int(),
  date: z.number(),
  views: z.number().int(),
  category: z.number().int().nullable(),
  duration: z.number(),
  thumbnail: z.string().nullable(),
  link: z.string(),
  /** Not OpenVeo's: where a video handed over by another plugin came from (a live recording, an editor export). */
  origin: z.record(z.string(), z.unknown()).optional(),
});
export type VideoJson = z.output<typeof videoSchema>;

export const videoListSchema = z.object({ entities: z.array(videoSchema), pagination: paginationSchema });
export const videoEntitySchema = z.object({ entity: videoSchema });
