import { PUBLISH_TO_LIBRARY } from '../config.js';
import { BadRequestError, parseInput, z } from '@mediahost/core';
import type { RecordingPropertiesJson } from './responses.js';

/** openvidu-node-client sends explicit nulls for what it leaves unset: null means absent. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const value = withoutNulls(body ?? {});
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError('The body must be a JSON object');
  return parseInput(schema, value);
}

export const RECORDING_NAME = /^[a-zA-Z0-9_\-~]+$/;
export const OUTPUT_MODES = ['COMPOSED', 'INDIVIDUAL', 'COMPOSED_QUICK_START'] as const;
export const LAYOUTS = ['BEST_FIT', 'CUSTOM', 'PICTURE_IN_PICTURE', 'VERTICAL_PRESENTATION', 'HORIZONTAL_PRESENTATION'] as const;

const mediaNode = z.union([z.string(), z.object({ id: z.string() })]).optional();

/** Recording properties as typed; ranges are checked by recordingRangeProblem (a 400 or a 422 depending on the route). */
export const recordingPropertiesSchema = z.object({
  name: z.string().optional(),
  hasAudio: z.boolean().optional(),
  hasVideo: z.boolean().optional(),
  outputMode: z.enum(OUTPUT_MODES).optional(),
  recordingLayout: z.enum(LAYOUTS).optional(),
  customLayout: z.string().optional(),
  resolution: z.string().optional(),
  frameRate: z.number().optional(),
  shmSize: z.number().optional(),
  ignoreFailedStreams: z.boolean().optional(),
  mediaNode,
});
export type RecordingPropertiesInput = z.infer<typeof recordingPropertiesSchema>;

export interface RecordingProperties {
  name: string;
  hasAudio: boolean;
  hasVideo: boolean;
  outputMode: (typeof OUTPUT_MODES)[number];
  recordingLayout: (typeof LAYOUTS)[number];
  customLayout: string;
  resolution: string;
  frameRate: number;
  shmSize: number;
  ignoreFailedStreams: boolean;
}

export function recordingRangeProblem(input: RecordingPropertiesInput): string | undefined {
  if (input.name !== undefined && input.name !== '' && !RECORDING_NAME.test(input.name)) return 'name may only contain letters, digits, "_", "-" and "~"';
  if (input.resolution !== undefined) {
    const match = /^(\d+)x(\d+)$/.exec(input.resolution);
    if (!match || [match[1], match[2]].some((n) => Number(n) < 100 || Number(n) > 1999)) return 'resolution must be WIDTHxHEIGHT, each between 100 and 1999';
  }
  if (input.frameRate !== undefined && (!Number.isInteger(input.frameRate) || input.frameRate < 1 || input.frameRate > 120)) return 'frameRate must be between 1 and 120';
  if (input.shmSize !== undefined && input.shmSize < 134217728) return 'shmSize must be at least 134217728';
  if (input.hasAudio === false && input.hasVideo === false) return 'hasAudio and hasVideo cannot both be false';
  return undefined;
}

/** Fills in OpenVidu's defaults; `base` gives the session's defaults when starting a recording. */
export function recordingProperties(input: RecordingPropertiesInput, base?: RecordingProperties): RecordingProperties {
  return {
    name: input.name ?? base?.name ?? '',
    hasAudio: input.hasAudio ?? base?.hasAudio ?? true,
    hasVideo: input.hasVideo ?? base?.hasVideo ?? true,
    outputMode: input.outputMode ?? base?.outputMode ?? 'COMPOSED',
    recordingLayout: input.recordingLayout ?? base?.recordingLayout ?? 'BEST_FIT',
    customLayout: input.customLayout ?? base?.customLayout ?? '',
    resolution: input.resolution ?? base?.resolution ?? '1280x720',
    frameRate: input.frameRate ?? base?.frameRate ?? 25,
    shmSize: input.shmSize ?? base?.shmSize ?? 536870912,
    ignoreFailedStreams: input.ignoreFailedStreams ?? base?.ignoreFailedStreams ?? false,
  };
}

/** The recording properties as OpenVidu shows them: layout fields only for a composed recording with video. */
export function recordingPropertiesJson(p: RecordingProperties): RecordingPropertiesJson {
  const composedVideo = p.outputMode !== 'INDIVIDUAL' && p.hasVideo;
  return {
    name: p.name,
    hasAudio: p.hasAudio,
    hasVideo: p.hasVideo,
    outputMode: p.outputMode,
    ...(composedVideo ? { recordingLayout: p.recordingLayout, resolution: p.resolution, frameRate: p.frameRate, shmSize: p.shmSize } : {}),
    ...(composedVideo && p.recordingLayout === 'CUSTOM' ? { customLayout: p.customLayout } : {}),
    ...(p.outputMode === 'INDIVIDUAL' ? { ignoreFailedStreams: p.ignoreFailedStreams } : {}),
  };
}

/** OpenVidu's VideoCodec (MEDIA_SERVER_PREFERRED is what its clients send by default); the older _OPTIONS spelling is kept for callers that used it. */
export const VIDEO_CODECS = ['MEDIA_SERVER_PREFERRED', 'MEDIA_SERVER_PREFERRED_OPTIONS', 'NONE', 'VP8', 'VP9', 'H264'] as const;

export const sessionBodySchema = z.object({
  mediaMode: z.enum(['ROUTED', 'RELAYED']).optional(),
  recordingMode: z.enum(['ALWAYS', 'MANUAL']).optional(),
  customSessionId: z.string().regex(/^[a-zA-Z0-9_-]*$/, 'customSessionId may only contain letters, digits, "_" and "-"').optional(),
  forcedVideoCodec: z.enum(VIDEO_CODECS).optional(),
  allowTranscoding: z.boolean().optional(),
  defaultRecordingProperties: recordingPropertiesSchema.optional(),
  mediaNode,
  /** Not OpenVidu's: overrides liveConf.json recording.publishToLibrary for this session's recordings. */
  publishToLibrary: z.enum(PUBLISH_TO_LIBRARY).optional(),
});

export const ROLES = ['SUBSCRIBER', 'PUBLISHER', 'MODERATOR'] as const;
export type Role = (typeof ROLES)[number];

const bandwidth = z.number().int().min(0).optional();
export const kurentoOptionsSchema = z.object({
  videoMaxRecvBandwidth: bandwidth,
  videoMinRecvBandwidth: bandwidth,
  videoMaxSendBandwidth: bandwidth,
  videoMinSendBandwidth: bandwidth,
  allowedFilters: z.array(z.string()).optional(),
});
export type KurentoOptions = z.infer<typeof kurentoOptionsSchema>;

export const iceServerSchema = z
  .object({ url: z.string().regex(/^(stuns?|turns?):\S+$/, 'url must start with stun:, stuns:, turn: or turns:'), username: z.string().optional(), credential: z.string().optional() })
  .superRefine((server, ctx) => {
    const turn = server.url.startsWith('turn');
    if (turn && (!server.username || !server.credential)) ctx.addIssue({ code: 'custom', message: 'a TURN server needs username and credential' });
    if (!turn && (server.username !== undefined || server.credential !== undefined)) ctx.addIssue({ code: 'custom', message: 'a STUN server takes no username or credential' });
  });
export type IceServer = z.infer<typeof iceServerSchema>;

export const connectionBodySchema = z.object({
  type: z.enum(['WEBRTC', 'IPCAM']).optional(),
  data: z.string().optional(),
  record: z.boolean().optional(),
  role: z.enum(ROLES).optional(),
  kurentoOptions: kurentoOptionsSchema.optional(),
  customIceServers: z.array(iceServerSchema).optional(),
  rtspUri: z.string().optional(),
  adaptativeBitrate: z.boolean().optional(),
  onlyPlayWithSubscribers: z.boolean().optional(),
  networkCache: z.number().int().min(0).optional(),
});
export type ConnectionBody = z.infer<typeof connectionBodySchema>;

export const tokenBodySchema = z.object({
  session: z.string({ error: 'session is mandatory' }).min(1, 'session is mandatory'),
  role: z.enum(ROLES).optional(),
  data: z.string().optional(),
  record: z.boolean().optional(),
  kurentoOptions: kurentoOptionsSchema.optional(),
  customIceServers: z.array(iceServerSchema).optional(),
});

export const connectionPatchSchema = z.object({ role: z.enum(ROLES).optional(), record: z.boolean().optional() });

export const signalBodySchema = z.object({
  session: z.string({ error: 'session is mandatory' }).min(1, 'session is mandatory'),
  to: z.array(z.string()).optional(),
  type: z.string().optional(),
  data: z.string().optional(),
});
