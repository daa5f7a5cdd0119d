import { z } from '@mediahost/core';
import { iceServerSchema, kurentoOptionsSchema, LAYOUTS, OUTPUT_MODES, ROLES } from './bodies.js';

/** The objects OpenVidu's REST API answers with: the routes' output is typed by them and the document shows them. */

export const openviduErrorSchema = z.object({ timestamp: z.number(), status: z.number().int(), error: z.string(), message: z.string(), path: z.string() });

const listOf = <T extends z.ZodType>(item: T) => z.object({ numberOfElements: z.number().int(), content: z.array(item) });

export const streamSchema = z.object({
  streamId: z.string(),
  createdAt: z.number(),
  mediaOptions: z.object({
    hasAudio: z.boolean(),
    audioActive: z.boolean(),
    hasVideo: z.boolean(),
    videoActive: z.boolean(),
    typeOfVideo: z.string(),
    frameRate: z.number(),
    videoDimensions: z.string(),
    filter: z.record(z.string(), z.unknown()),
  }),
});

export const connectionSchema = z.object({
  id: z.string(),
  connectionId: z.string(),
  object: z.literal('connection'),
  type: z.enum(['WEBRTC', 'IPCAM']),
  status: z.enum(['pending', 'active']),
  sessionId: z.string(),
  createdAt: z.number(),
  activeAt: z.number().nullable(),
  location: z.string().nullable(),
  ip: z.string().nullable(),
  platform: z.string().nullable(),
  token: z.string().nullable(),
  serverData: z.string(),
  clientData: z.string().nullable(),
  record: z.boolean(),
  role: z.enum(ROLES).nullable(),
  kurentoOptions: kurentoOptionsSchema.nullable(),
  rtspUri: z.string().nullable(),
  adaptativeBitrate: z.boolean().nullable(),
  onlyPlayWithSubscribers: z.boolean().nullable(),
  networkCache: z.number().nullable(),
  publishers: z.array(streamSchema),
  subscribers: z.array(z.object({ streamId: z.string(), createdAt: z.number() })),
  customIceServers: z.array(iceServerSchema),
});
export type ConnectionJson = z.output<typeof connectionSchema>;
export const connectionListSchema = listOf(connectionSchema);

/** Layout fields only for a composed recording with video, ignoreFailedStreams only for INDIVIDUAL ones. */
const recordingShape = {
  name: z.string(),
  hasAudio: z.boolean(),
  hasVideo: z.boolean(),
  outputMode: z.enum(OUTPUT_MODES),
  recordingLayout: z.enum(LAYOUTS).optional(),
  resolution: z.string().optional(),
  frameRate: z.number().optional(),
  customLayout: z.string().optional(),
  ignoreFailedStreams: z.boolean().optional(),
};
export const recordingPropertiesOutputSchema = z.object({ ...recordingShape, shmSize: z.number().optional() });
export type RecordingPropertiesJson = z.output<typeof recordingPropertiesOutputSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  object: z.literal('session'),
  createdAt: z.number(),
  mediaMode: z.enum(['ROUTED', 'RELAYED']),
  recordingMode: z.enum(['ALWAYS', 'MANUAL']),
  defaultRecordingProperties: recordingPropertiesOutputSchema,
  customSessionId: z.string(),
  connections: connectionListSchema,
  recording: z.boolean(),
  broadcasting: z.boolean(),
  forcedVideoCodec: z.string(),
  allowTranscoding: z.boolean(),
  mediaNodeId: z.string().optional(),
});
export type SessionJson = z.output<typeof sessionSchema>;
export const sessionListSchema = listOf(sessionSchema);

/** The deprecated POST /tokens' answer. */
export const tokenSchema = z.object({
  id: z.string(),
  token: z.string(),
  connectionId: z.string(),
  createdAt: z.number(),
  session: z.string(),
  role: z.enum(ROLES),
  data: z.string(),
  record: z.boolean(),
  kurentoOptions: kurentoOptionsSchema,
  customIceServers: z.array(iceServerSchema),
});

export const recordingSchema = z.object({
  id: z.string(),
  object: z.literal('recording'),
  ...recordingShape,
  sessionId: z.string(),
  createdAt: z.number(),
  size: z.number(),
  duration: z.number(),
  url: z.string().nullable(),
  status: z.enum(['starting', 'started', 'stopped', 'ready', 'failed']),
});
export type RecordingJson = z.output<typeof recordingSchema>;
export const recordingListSchema = z.object({ count: z.number().int(), items: z.array(recordingSchema) });

export const mediaNodeSchema = z.object({
  id: z.string(),
  environmentId: z.string(),
  ip: z.string(),
  uri: z.string(),
  object: z.literal('mediaNode'),
  launchingTime: z.number(),
  connected: z.boolean(),
  connectionTime: z.number(),
  load: z.number(),
  status: z.enum(['launching', 'canceled', 'running', 'waiting-idle-to-terminate', 'terminating', 'terminated']),
  sessions: z.array(sessionSchema).optional(),
  recordingIds: z.array(z.string()).optional(),
  broadcasts: z.array(z.string()).optional(),
  kurentoInfo: z.record(z.string(), z.unknown()).optional(),
});
export type MediaNodeJson = z.output<typeof mediaNodeSchema>;
export const mediaNodeListSchema = listOf(mediaNodeSchema);

export const openviduConfigSchema = z.object({
  VERSION: z.string(),
  DOMAIN_OR_PUBLIC_IP: z.string(),
  HTTPS_PORT: z.number().int(),
  OPENVIDU_PUBLICURL: z.string(),
  OPENVIDU_CDR: z.boolean(),
  OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: z.number(),
  OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH: z.number(),
  OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH: z.number(),
  OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH: z.number(),
  OPENVIDU_SESSIONS_GARBAGE_INTERVAL: z.number(),
  OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: z.number(),
  OPENVIDU_RECORDING: z.boolean(),
  OPENVIDU_RECORDING_VERSION: z.string(),
  OPENVIDU_RECORDING_PATH: z.string(),
  OPENVIDU_RECORDING_PUBLIC_ACCESS: z.boolean(),
  OPENVIDU_RECORDING_NOTIFICATION: z.enum(['all', 'publisher_moderator', 'moderator', 'none']),
  OPENVIDU_RECORDING_CUSTOM_LAYOUT: z.string(),
  OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: z.number(),
  OPENVIDU_WEBHOOK: z.boolean(),
  OPENVIDU_WEBHOOK_ENDPOINT: z.string(),
  OPENVIDU_WEBHOOK_HEADERS: z.array(z.string()),
  OPENVIDU_WEBHOOK_EVENTS: z.array(z.string()),
});
export type OpenviduConfigJson = z.output<typeof openviduConfigSchema>;

/** GET /pro/config: the same configuration in OpenVidu Pro 2.x's camelCase. */
export const proConfigSchema = z.object({
  version: z.string(),
  openviduServerDependencyVersion: z.string(),
  openviduProStatsMonitoringInterval: z.number(),
  openviduProStatsWebrtcInterval: z.number(),
  openviduPublicurl: z.string(),
  openviduCdr: z.boolean(),
  maxRecvBandwidth: z.number(),
  minRecvBandwidth: z.number(),
  maxSendBandwidth: z.number(),
  minSendBandwidth: z.number(),
  openviduRecording: z.boolean(),
  openviduRecordingVersion: z.string(),
  openviduRecordingPath: z.string(),
  openviduRecordingPublicAccess: z.boolean(),
  openviduRecordingNotification: openviduConfigSchema.shape.OPENVIDU_RECORDING_NOTIFICATION,
  openviduRecordingCustomLayout: z.string(),
  openviduRecordingAutostopTimeout: z.number(),
  openviduWebhook: z.boolean(),
  openviduWebhookEndpoint: z.string(),
  openviduWebhookHeaders: z.array(z.string()),
  openviduWebhookEvents: z.array(z.string()),
  openviduSessionsGarbageInterval: z.number(),
  openviduSessionsGarbageThreshold: z.number(),
});
export type ProConfigJson = z.output<typeof proConfigSchema>;

export const healthSchema = z.object({ status: z.literal('UP'), disconnectedMediaNodes: z.array(z.string()) });
