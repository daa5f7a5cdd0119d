import { mediaLimitsSchema, z } from '@mediahost/core';

const quality = z.strictObject({
  /** Also the folder and URL segment of the rendition: /<file>/<name>/… */
  name: z.string().regex(/^[a-z0-9]+$/, 'lowercase letters and digits only'),
  height: z.number().int().min(120).max(4320),
  videoBitrateKbps: z.number().int().min(100),
});
export type Quality = z.infer<typeof quality>;

export const publishConfigSchema = z.strictObject({
  /** The HLS ladder, highest first. A source is never upscaled: rungs above its height are skipped. */
  qualities: z
    .array(quality)
    .min(1)
    .default([
      { name: '1080p', height: 1080, videoBitrateKbps: 5000 },
      { name: '720p', height: 720, videoBitrateKbps: 2800 },
      { name: '480p', height: 480, videoBitrateKbps: 1400 },
      { name: '360p', height: 360, videoBitrateKbps: 800 },
    ]),
  audioBitrateKbps: z.number().int().min(32).default(128),
  segmentSeconds: z.number().int().min(1).max(20).default(4),
  /** x264 preset: faster presets trade size for speed. */
  preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
  thumbnails: z.strictObject({ count: z.number().int().min(1).max(100).default(10), width: z.number().int().min(64).max(1920).default(320) }).prefault({}),
  /** Largest file accepted by tus and by direct upload, in bytes. */
  maxUploadBytes: z.number().int().positive().default(10 * 1024 ** 3),
  /** Per owner, so one client cannot fill the disk: over either limit a tus creation is refused with 413 and the reason. */
  quota: z
    .strictObject({
      /** The declared lengths of an owner's tus uploads not yet finalized into files, summed. */
      maxPendingUploadBytes: z.number().int().positive().default(20 * 1024 ** 3),
      /** An owner's files (source bytes) plus their pending uploads. */
      maxStoredBytes: z.number().int().positive().default(200 * 1024 ** 3),
    })
    .prefault({}),
  /** Unfinished tus uploads older than this are removed. */
  uploadExpiryHours: z.number().positive().default(24),
  /** How long the player's vc_media cookie opens a file's media. */
  mediaCookieTtlSeconds: z.number().int().positive().default(6 * 3600),
  transcodeConcurrency: z.number().int().min(1).max(8).default(1),
  /** Agenda's last resort for a transcode not heard of for this long; a dead runner's are taken over within seconds (jobs.heartbeatMs). */
  transcodeLockSeconds: z.number().int().min(2).default(60),
  /** POST /api/remote/download: URLs fetched into new files (never from internal addresses, see serverConf outbound.allowedNetworks). */
  remoteDownloads: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Pending and running downloads one owner may have at once. */
      maxActivePerUser: z.number().int().min(1).default(5),
      concurrency: z.number().int().min(1).max(8).default(1),
      timeoutSeconds: z.number().int().min(1).default(3600),
      maxRedirects: z.number().int().min(0).max(20).default(10),
    })
    .prefault({}),
  /** The VideoCMS login on the web service (POST /publish/api/auth/login): JWT lifetime and failed-login throttle per address. */
  apiLogin: z
    .strictObject({
      jwtLifetimeSeconds: z.number().int().min(60).default(7 * 24 * 3600),
      maxFailures: z.number().int().min(1).default(10),
      failureWindowSeconds: z.number().int().min(1).default(15 * 60),
      /**
       * With the admin's CaptchaEnabled and CaptchaLoginEnabled: a login needs a solved captcha once the account or the
       * address has failed this many times within failureWindowSeconds; 0 asks every login (VideoCMS's own behaviour).
       */
      captchaAfterFailures: z.number().int().min(0).default(3),
    })
    .prefault({}),
  /**
   * GET /publish/api/versioncheck compares this plugin's version with the `tag_name` the URL answers (a GitHub
   * "latest release" document, as VideoCMS reads it); without a URL the check answers 503. The URL must be reachable
   * under serverConf's outbound rules.
   */
  versionCheck: z.strictObject({ url: z.url({ protocol: /^https?$/ }).optional(), timeoutSeconds: z.number().int().min(1).max(60).default(10) }).prefault({}),
  /** The link UUID GET /publish/api/file/example answers (VideoCMS's ProjectExampleVideo), for a front end's demo video. */
  exampleVideo: z.string().max(64).default(''),
  /** Each web-service process samples the host and the encoding queue for the admin's GET /api/stats this often (VideoCMS: every minute). */
  systemSampleSeconds: z.number().int().min(1).max(3600).default(60),
  /** Usage (traffic, uploads, encoding, remote downloads) is counted in memory and saved this often, and on stop: a crash loses at most this much. */
  usageFlushSeconds: z.number().int().min(1).max(3600).default(60),
  /** What one uploaded file may cost to transcode; a file beyond them is refused with the reason. */
  limits: mediaLimitsSchema,
});
export type PublishConfig = z.infer<typeof publishConfigSchema>;
