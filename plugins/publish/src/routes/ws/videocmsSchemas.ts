import { z } from '@mediahost/core';

/**
 * The answers of the VideoCMS routes, as the OpenAPI document declares them: what the shapes of videocmsShapes.ts and
 * the routes' own JSON serialise to (dates as RFC 3339 strings, VideoCMS's casing).
 */

const timestamp = z.string();
const deletedAt = z.null();
const count = z.number().int();

export const tagSchema = z.object({ ID: count, CreatedAt: timestamp.optional(), UpdatedAt: timestamp.optional(), DeletedAt: deletedAt, Name: z.string() });
export const folderSchema = z.object({ ID: count, CreatedAt: timestamp, UpdatedAt: timestamp, DeletedAt: deletedAt, Name: z.string(), ParentFolderID: count });
export const linkSchema = z.object({
  ID: count,
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  DeletedAt: deletedAt,
  UUID: z.string(),
  Name: z.string(),
  ParentFolderID: count,
  Tags: z.array(tagSchema).nullable(),
});
const trackSchema = z.object({ Name: z.string(), Type: z.string(), Lang: z.string(), Ready: z.boolean() });
export const linkDetailSchema = z.object({
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  ID: count,
  UUID: z.string(),
  Name: z.string(),
  Thumbnail: z.string(),
  CustomThumbnail: z.boolean(),
  ParentFolderID: count,
  Size: z.number(),
  Duration: z.number(),
  Sha256: z.string(),
  Qualitys: z.array(
    z.object({ Name: z.string(), Type: z.string(), Height: z.number(), Width: z.number(), AvgFrameRate: z.number(), Ready: z.boolean(), Failed: z.boolean(), Progress: z.number() }),
  ),
  Subtitles: z.array(trackSchema),
  Audios: z.array(trackSchema),
  Tags: z.array(tagSchema),
});

export const uploadSessionSchema = z.object({
  ID: z.union([count, z.string()]),
  CreatedAt: timestamp,
  Name: z.string(),
  UUID: z.string(),
  ClientUploadUUID: z.string().nullable(),
  TusID: z.string(),
  Size: z.number(),
  Offset: z.number(),
  PartCount: count,
  Status: z.enum(['created', 'uploading', 'uploaded']),
  ExpiresAt: timestamp.nullable(),
});

export const remoteDownloadSchema = z.object({
  ID: count,
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  DeletedAt: deletedAt,
  ParentFolderID: count,
  Url: z.string(),
  Name: z.string(),
  Status: z.string(),
  Progress: z.number(),
  Error: z.string(),
  LinkID: count,
  LinkUUID: z.string(),
  BytesDownloaded: z.number(),
  TotalSize: z.number(),
  Duration: z.number(),
  StartedAt: timestamp.nullable(),
  FinishedAt: timestamp.nullable(),
  CancelRequestedAt: timestamp.nullable(),
  CanceledAt: timestamp.nullable(),
});

export const apiKeySchema = z.object({
  ID: count,
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  DeletedAt: deletedAt,
  UserID: z.string(),
  name: z.string(),
  prefix: z.string(),
  expires_at: timestamp.optional(),
  last_used_at: timestamp.optional(),
});
export const newApiKeySchema = z.object({ id: count, name: z.string(), key: z.string(), expires_at: timestamp.optional() });
export const apiKeyUseSchema = z.object({ ID: count, CreatedAt: timestamp, UpdatedAt: timestamp, DeletedAt: deletedAt, ApiKeyID: count, UserID: z.string(), Method: z.string(), Path: z.string(), IP: z.string() });

export const webhookSchema = z.object({
  ID: count,
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  DeletedAt: deletedAt,
  Name: z.string(),
  Url: z.string(),
  Rpm: count,
  ReqQuery: z.string(),
  ResField: z.string(),
  Events: z.array(z.string()),
});
export const webhookDeliverySchema = z.object({
  ID: z.string(),
  Event: z.string(),
  Url: z.string(),
  Status: z.string(),
  CreatedAt: timestamp,
  DeliveredAt: timestamp.nullable(),
  Attempts: z.array(z.object({ At: timestamp, StatusCode: count.nullable(), Error: z.string().nullable(), DurationMs: z.number() })),
});

export const userSettingsSchema = z.object({
  WebhooksEnabled: z.boolean(),
  WebhooksMax: count,
  UploadSessionsMax: count,
  EnablePlayerCaptcha: z.boolean(),
  MaxRemoteDownloads: count,
  RemoteDownloadEnabled: z.boolean(),
  UploadEnabled: z.boolean(),
});
export const userSchema = z.object({
  ID: z.string(),
  CreatedAt: timestamp.nullable(),
  UpdatedAt: timestamp.nullable(),
  DeletedAt: deletedAt,
  Username: z.string(),
  Name: z.string(),
  Admin: z.boolean(),
  Email: z.string(),
  Balance: z.number(),
  Storage: z.number(),
  Settings: userSettingsSchema,
  MaxRemoteDownloads: count,
  RemoteDownloadEnabled: z.boolean(),
  UploadEnabled: z.boolean(),
  used_storage: z.number(),
  file_count: count,
});
export const userListSchema = z.object({ data: z.array(userSchema), meta: z.object({ total: count, page: count, limit: count }) });
export const accountSchema = z.object({
  Username: z.string(),
  Admin: z.boolean(),
  Email: z.string(),
  Balance: z.number(),
  Storage: z.number(),
  Used: z.number(),
  Files: count,
  Settings: userSettingsSchema,
  MaxRemoteDownloads: count,
  RemoteDownloadEnabled: z.boolean(),
});

const flagText = z.enum(['true', 'false']);
export const systemSettingsSchema = z.object({
  ID: z.literal(1),
  CreatedAt: timestamp.nullable(),
  UpdatedAt: timestamp.nullable(),
  DeletedAt: deletedAt,
  AppName: z.string(),
  BaseUrl: z.string(),
  ProjectExampleVideo: z.string(),
  EncodingEnabled: flagText,
  UploadEnabled: flagText,
  MaxUploadFilesize: z.string(),
  RemoteDownloadEnabled: flagText,
  CaptchaEnabled: flagText,
  CaptchaLoginEnabled: flagText,
  CaptchaPlayerEnabled: flagText,
  CaptchaType: z.string(),
});
export const publicConfigSchema = z.object({
  AppName: z.string(),
  BaseUrl: z.string(),
  EncodingEnabled: z.boolean(),
  UploadEnabled: z.boolean(),
  MaxUploadFilesize: z.number(),
  MaxUploadChunkSize: z.number(),
  MaxUploadSessions: count,
  FolderVideoQualitys: z.string(),
  CaptchaEnabled: z.boolean(),
  CaptchaLoginEnabled: z.boolean(),
  CaptchaPlayerEnabled: z.boolean(),
  CaptchaType: z.string(),
  Captcha_Recaptcha_PublicKey: z.string(),
  Captcha_Hcaptcha_PublicKey: z.string(),
  Captcha_Turnstile_PublicKey: z.string(),
  ContinueWatchingPopupEnabled: z.boolean(),
  DownloadEnabled: z.boolean(),
  RemoteDownloadEnabled: z.boolean(),
  PlayerV2Enabled: z.boolean(),
});

export const webPageSchema = z.object({ ID: count, CreatedAt: timestamp, UpdatedAt: timestamp, DeletedAt: deletedAt, Path: z.string(), Title: z.string(), Html: z.string(), ListInFooter: z.boolean() });
export const webPageLinkSchema = z.object({ Path: z.string(), Title: z.string(), ListInFooter: z.boolean() });

export const chartSchema = z.object({ Traffic: z.array(z.object({ Timestamp: z.number(), Bytes: z.number() })) });
export const topListSchema = z.array(z.object({ ID: z.union([count, z.string()]), Name: z.string(), value: z.number() }));
const valueSeries = z.array(z.object({ Timestamp: z.number(), Value: z.number() }));
export const systemChartSchema = z.object(
  Object.fromEntries(['Cpu', 'Mem', 'NetOut', 'NetIn', 'DiskW', 'DiskR', 'ENCQualityQueue', 'ENCAudioQueue', 'ENCSubtitleQueue'].map((name) => [name, valueSeries])),
);

export const encodingRowsSchema = z
  .array(
    z.object({
      ID: count,
      UUID: z.string(),
      Name: z.string(),
      Quality: z.string(),
      Progress: z.number(),
      Status: z.string(),
      Failed: z.boolean(),
      Error: z.string().nullable(),
      Attempts: count,
    }),
  )
  .nullable();
export const adminEncodingRowsSchema = z
  .array(z.object({ id: count, name: z.string(), quality: z.string(), progress: z.number(), user_id: z.string(), username: z.string() }))
  .nullable();

export const loginSchema = z.object({ exp: timestamp, token: z.string() });
export const tokenCheckSchema = z.object({ username: z.string(), exp: timestamp.nullable(), is_api_key: z.literal(true).optional() });

/** An empty 200, as VideoCMS answers a change done. */
export const EMPTY = { description: 'Done (empty body)' };
/** The text `ok`, as VideoCMS answers some changes. */
export const OK_TEXT = { description: 'Done: the text "ok"', schema: z.literal('ok'), contentType: 'text/plain' };
