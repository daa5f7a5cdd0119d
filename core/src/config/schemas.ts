import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

export const serverConfSchema = z.strictObject({
  port: port.default(3000),
  host: z.string().default('127.0.0.1'),
  /** Public base URL of the back office, used in links; defaults to http://host:port. */
  publicUrl: z.url().optional(),
  /** Relative paths are resolved from the installation folder (where server.js is). */
  dataDir: z.string().min(1).default('data'),
  /** Signs session cookies. Generated once into dataDir when absent, so no secret ships in conf/. */
  sessionSecret: z.string().min(32).optional(),
  sessionMaxAgeSeconds: z.number().int().positive().default(8 * 3600),
  /** Trust X-Forwarded-* headers (set when behind a TLS-terminating proxy). */
  trustProxy: z.boolean().default(false),
  /** Largest request body the JSON/form parsers accept, in bytes. Uploads are streamed and bounded by their plugins. */
  maxBodyBytes: z.number().int().positive().default(1024 * 1024),
  plugins: z.array(z.string().min(1)).default(['publish', 'live', 'editor']),
  ws: z
    .strictObject({
      port: port.default(3001),
      host: z.string().default('127.0.0.1'),
      accessTokenLifetimeSeconds: z.number().int().positive().default(3600),
    })
    .prefault({}),
  jobs: z
    .strictObject({
      /** Processes that run jobs besides `-worker` ones. */
      runIn: z.array(z.enum(['app', 'ws'])).default(['app']),
      pollIntervalMs: z.number().int().positive().default(1000),
      /** Each job runner writes a heartbeat this often; the jobs of a runner silent for three beats are taken over. */
      heartbeatMs: z.number().int().min(100).default(2000),
      /** How long the claims of a finished run are kept (they guard it against running again), then swept. */
      claimRetentionHours: z.number().min(1).default(24),
    })
    .prefault({}),
  /**
   * Where plugins keep media: `local` (under dataDir/storage, the default) or an S3-compatible bucket that every
   * process of the platform shares, whatever machine it runs on.
   */
  storage: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('local') }),
      z.strictObject({
        type: z.literal('s3'),
        /** Omitted for AWS itself. */
        endpoint: z.url().optional(),
        region: z.string().min(1).default('us-east-1'),
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens'),
        accessKeyId: z.string().min(1),
        /** Never logged. */
        secretAccessKey: z.string().min(1),
        forcePathStyle: z.boolean().default(false),
      }),
    ])
    .default({ type: 'local' }),
  /** ffmpeg and ffprobe for every plugin; found on PATH when absent. */
  ffmpegPath: z.string().min(1).optional(),
  ffprobePath: z.string().min(1).optional(),
  shutdownTimeoutMs: z.number().int().positive().default(10_000),
  /** Small stored objects (HLS segments, playlists, thumbnails) kept in each process's memory to serve them without a read. */
  mediaCache: z
    .strictObject({
      /** All cached objects together; 0 turns the cache off. */
      sizeMiB: z.number().min(0).default(128),
      /** Larger objects are streamed each time. */
      maxObjectMiB: z.number().min(0).default(8),
    })
    .prefault({}),
  /** Failed back-office sign-ins allowed per account and per client address within the window, then 429. */
  signInThrottle: z
    .strictObject({
      maxFailures: z.number().int().min(1).default(10),
      failureWindowSeconds: z.number().int().min(1).default(15 * 60),
    })
    .prefault({}),
  /** How long a client may take. Streamed bodies (uploads) may last any time but must not stall longer than uploadIdleMs. */
  timeouts: z
    .strictObject({
      headersMs: z.number().int().positive().default(10_000),
      requestMs: z.number().int().positive().default(30_000),
      keepAliveMs: z.number().int().positive().default(5_000),
      uploadIdleMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
  /** Calls the platform makes outwards: webhooks and downloads of remote files. */
  outbound: z
    .strictObject({
      /** Private networks trusted as targets anyway (an intranet media server): CIDRs or addresses. */
      allowedNetworks: z.array(z.string().min(1)).default([]),
      webhookMaxRetries: z.number().int().min(0).max(20).default(8),
      webhookRetryDelayMs: z.number().int().positive().default(10_000),
      webhookTimeoutMs: z.number().int().positive().default(10_000),
    })
    .prefault({}),
});
export type ServerConf = z.infer<typeof serverConfSchema>;

const logLevel = z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']);
export const loggerEntrySchema = z.strictObject({
  fileName: z.string().min(1),
  level: logLevel.default('info'),
  maxFileSize: z.number().int().positive().default(10 * 1024 * 1024),
  maxFiles: z.number().int().min(1).default(5),
  console: z.boolean().default(false),
});
export type LoggerEntry = z.infer<typeof loggerEntrySchema>;

export const loggerConfSchema = z.record(z.string(), loggerEntrySchema).superRefine((value, ctx) => {
  for (const required of ['app', 'ws']) {
    if (!(required in value)) ctx.addIssue({ code: 'custom', path: [required], message: 'entry is required' });
  }
});
export type LoggerConf = z.infer<typeof loggerConfSchema>;

export const databaseConfSchema = z.strictObject({
  /** A MongoDB connection string. Absent: the embedded FerretDB is started. */
  uri: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI').optional(),
  database: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only').default('mediahost'),
  embedded: z
    .strictObject({
      /** Relative to serverConf dataDir. */
      dataDir: z.string().min(1).default('db'),
      /** A ready mediahost-ferretdb binary; otherwise it is built once with Go. */
      binary: z.string().optional(),
    })
    .prefault({}),
});
export type DatabaseConf = z.infer<typeof databaseConfSchema>;
