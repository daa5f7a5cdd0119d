import { z } from 'zod';

/** A plugin's `limits` conf: what one user's file may cost to process (defaults: 6 h, 8K, 6 h at 60 fps). */
export const mediaLimitsSchema = z
  .strictObject({
    maxDurationSeconds: z.number().positive().default(6 * 3600),
    maxWidth: z.number().int().positive().default(7680),
    maxHeight: z.number().int().positive().default(4320),
    maxFrames: z.number().int().positive().default(6 * 3600 * 60),
  })
  .prefault({});
