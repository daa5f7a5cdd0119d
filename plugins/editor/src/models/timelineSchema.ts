import { z } from '@mediahost/core';

const ms = z.number().int().min(0).max(24 * 3600_000);
export const TRANSITIONS = ['fade', 'dissolve', 'wipeleft', 'wiperight', 'slideleft', 'slideright', 'circleopen', 'fadeblack'] as const;
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #ff8800');

/** A clip of a media file: the part from `in` to `out` (ms into the file), at `start` (ms into the timeline). */
export const clipSchema = z.strictObject({
  fileId: z.number().int().positive(),
  start: ms.optional(),
  in: ms.default(0),
  /** Defaults to the file's end; images need one (or last 5 s). */
  out: ms.optional(),
  volume: z.number().min(0).max(4).default(1),
  /** Into this clip from the previous one on the track; the two overlap by its duration. */
  transition: z.strictObject({ type: z.enum(TRANSITIONS), duration: z.number().int().min(40).max(10_000) }).optional(),
});

export const textSchema = z.strictObject({
  text: z.string().min(1).max(1000),
  start: ms,
  duration: ms.refine((v) => v > 0, 'must be positive'),
  /** A default font or one of the instance's custom fonts; the instance's standard font when absent. */
  font: z.string().max(200).optional(),
  size: z.number().int().min(6).max(400).default(48),
  color: hexColor.default('#ffffff'),
  background: hexColor.optional(),
  /** Centre of the text, as fractions of the frame. */
  x: z.number().min(0).max(1).default(0.5),
  y: z.number().min(0).max(1).default(0.85),
});

export const trackSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('video'), clips: z.array(clipSchema).max(500) }),
  z.strictObject({ type: z.literal('audio'), clips: z.array(clipSchema).max(500) }),
  z.strictObject({ type: z.literal('text'), texts: z.array(textSchema).max(500) }),
]);

export const timelineInputSchema = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(5000).default(''),
  userId: z.number().int().positive().optional(),
  tracks: z.array(trackSchema).max(20).default([]),
});

export const timelineUpdateSchema = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  description: z.string().max(5000).optional(),
  tracks: z.array(trackSchema).max(20).optional(),
});

export type ClipInput = z.infer<typeof clipSchema>;
export type TextElement = z.infer<typeof textSchema>;
export type Track = z.infer<typeof trackSchema>;
export type TimelineInput = z.infer<typeof timelineInputSchema>;
