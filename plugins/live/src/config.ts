import { z } from '@mediahost/core';

/** The recordings a session's owner gets in the publish library (liveConf.json recording.publishToLibrary, per session). */
export const PUBLISH_TO_LIBRARY = ['off', 'COMPOSED', 'ALL'] as const;
export type PublishToLibrary = (typeof PUBLISH_TO_LIBRARY)[number];

const kbps = z.number().int().min(0);

/** conf/liveConf.json. The OpenVidu properties in it can be changed at run time by POST /pro/restart, which persists them beside the data. */
export const liveConfigSchema = z.strictObject({
  /** The port of the OpenVidu-compatible API and signalling, opened by the web-service process. */
  port: z.number().int().min(1).max(65535).default(4443),
  /** Loopback by default, like the other two ports: 0.0.0.0 (or an interface's address) only when the operator says so. */
  host: z.string().default('127.0.0.1'),
  /** Public URL of that port (OPENVIDU_PUBLICURL): tokens and recording URLs are built on it. Defaults to http://localhost:<port>. */
  publicUrl: z.string().url().optional(),
  /** OPENVIDU_SECRET, the password of Basic OPENVIDUAPP:<secret>. Without it only Bearer tokens with the live scope get in. */
  secret: z.string().min(1).optional(),
  cdr: z.boolean().default(false),
  webhook: z
    .strictObject({
      enabled: z.boolean().default(false),
      endpoint: z.string().default(''),
      /** "Name: value" lines, as OPENVIDU_WEBHOOK_HEADERS. */
      headers: z.array(z.string()).default([]),
      /** Event names sent; empty sends every event. */
      events: z.array(z.string()).default([]),
    })
    .prefault({}),
  streams: z
    .strictObject({
      videoMaxRecvBandwidth: kbps.default(1000),
      videoMinRecvBandwidth: kbps.default(300),
      videoMaxSendBandwidth: kbps.default(1000),
      videoMinSendBandwidth: kbps.default(300),
    })
    .prefault({}),
  sessionsGarbageInterval: z.number().int().min(0).default(900),
  sessionsGarbageThreshold: z.number().int().min(0).default(3600),
  recording: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Defaults to <dataDir>/live/recordings. */
      path: z.string().optional(),
      publicAccess: z.boolean().default(false),
      notification: z.enum(['all', 'publisher_moderator', 'moderator', 'none']).default('publisher_moderator'),
      customLayout: z.string().default(''),
      autostopTimeout: z.number().int().min(0).default(120),
      /**
       * Which ready recordings become videos of their session owner's publish library (docs/flows.md): none, the
       * COMPOSED ones, or every one (an INDIVIDUAL recording gives a video per stream). A session may say otherwise.
       */
      publishToLibrary: z.enum(PUBLISH_TO_LIBRARY).default('off'),
    })
    .prefault({}),
  /** OpenVidu Pro's stats intervals in seconds (0: none), kept and shown as Pro does; no stats are gathered from them. */
  proStats: z
    .strictObject({
      monitoringInterval: z.number().int().min(0).default(30),
      webrtcInterval: z.number().int().min(0).default(20),
    })
    .prefault({}),
  /** Which media engine serves the sessions: auto takes mediasoup when its worker is installed, werift otherwise. */
  engine: z.enum(['auto', 'werift', 'mediasoup']).default('auto'),
  /** mediasoup Workers (OpenVidu Pro's media nodes) the web service starts; 0: one per core. */
  mediasoupWorkers: z.number().int().min(0).max(256).default(0),
  /** Address announced in ICE candidates when the host is behind NAT. */
  announcedIp: z.string().optional(),
});
export type LiveConfig = z.infer<typeof liveConfigSchema>;
