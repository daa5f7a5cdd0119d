import { mediaLimitsSchema, z } from '@mediahost/core';

export const editorConfigSchema = z.strictObject({
  /** How far a signed request's Date may be from the server's clock (replay window). */
  signatureWindowSeconds: z.number().int().min(10).max(3600).default(300),
  /** Life of an SSO loginToken; it is also spent by its first use. */
  loginTokenSeconds: z.number().int().min(1).max(3600).default(120),
  /** Life of the browser session an SSO login opens. */
  sessionHours: z.number().positive().default(12),
  /** Life of an upload ticket's PUT URL. */
  uploadTicketMinutes: z.number().int().min(1).default(60),
  /** Largest file accepted by import or upload, in bytes. */
  maxFileBytes: z.number().int().positive().default(4 * 1024 ** 3),
  importTimeoutSeconds: z.number().int().positive().default(3600),
  /** Licenses of an instance created without a number, as WeVideo does. */
  defaultLicenses: z.number().int().positive().default(5),
  proxy: z
    .strictObject({
      /** x264 preset of the 480x272 editing proxies (the reference uses medium). */
      preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('medium'),
    })
    .prefault({}),
  export: z
    .strictObject({
      width: z.number().int().min(128).max(3840).default(1280),
      height: z.number().int().min(72).max(2160).default(720),
      fps: z.number().int().min(1).max(60).default(25),
      preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
      videoBitrateKbps: z.number().int().min(100).default(3000),
    })
    .prefault({}),
  /** Fonts offered in every instance unless its font settings disable them: name → .ttf path on this machine. */
  defaultFonts: z
    .record(z.string(), z.string())
    .default({ 'DejaVu Sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'DejaVu Serif': '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf' }),
  renderConcurrency: z.number().int().min(1).max(8).default(1),
  /** What one imported or uploaded file may cost to process; a file beyond them fails with the reason. */
  limits: mediaLimitsSchema,
});
export type EditorConfig = z.infer<typeof editorConfigSchema>;
