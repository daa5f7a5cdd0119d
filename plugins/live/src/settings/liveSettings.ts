import type { OpenviduConfigJson, ProConfigJson } from '../openvidu/responses.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError, z } from '@mediahost/core';
import { liveConfigSchema, type LiveConfig } from '../config.js';

export const OPENVIDU_VERSION = '2.32.1';

interface Property {
  path: [string] | [string, string];
  schema: z.ZodType;
}

const kbps = z.number().int().min(0);
/** The OpenVidu properties POST /pro/restart may change, and where they live in liveConf.json. */
const MODIFIABLE: Record<string, Property> = {
  OPENVIDU_SECRET: { path: ['secret'], schema: z.string().min(1) },
  OPENVIDU_CDR: { path: ['cdr'], schema: z.boolean() },
  OPENVIDU_RECORDING: { path: ['recording', 'enabled'], schema: z.boolean() },
  OPENVIDU_RECORDING_PUBLIC_ACCESS: { path: ['recording', 'publicAccess'], schema: z.boolean() },
  OPENVIDU_RECORDING_NOTIFICATION: { path: ['recording', 'notification'], schema: z.enum(['all', 'publisher_moderator', 'moderator', 'none']) },
  OPENVIDU_RECORDING_PATH: { path: ['recording', 'path'], schema: z.string().min(1) },
  OPENVIDU_RECORDING_CUSTOM_LAYOUT: { path: ['recording', 'customLayout'], schema: z.string() },
  OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: { path: ['recording', 'autostopTimeout'], schema: z.number().int().min(0) },
  OPENVIDU_WEBHOOK: { path: ['webhook', 'enabled'], schema: z.boolean() },
  OPENVIDU_WEBHOOK_ENDPOINT: { path: ['webhook', 'endpoint'], schema: z.string() },
  OPENVIDU_WEBHOOK_HEADERS: { path: ['webhook', 'headers'], schema: z.array(z.string().regex(/^[^:\s]+:\s*.*$/, 'a header is "Name: value"')) },
  OPENVIDU_WEBHOOK_EVENTS: { path: ['webhook', 'events'], schema: z.array(z.string()) },
  OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: { path: ['streams', 'videoMaxRecvBandwidth'], schema: kbps },
  OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH: { path: ['streams', 'videoMinRecvBandwidth'], schema: kbps },
  OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH: { path: ['streams', 'videoMaxSendBandwidth'], schema: kbps },
  OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH: { path: ['streams', 'videoMinSendBandwidth'], schema: kbps },
  OPENVIDU_SESSIONS_GARBAGE_INTERVAL: { path: ['sessionsGarbageInterval'], schema: z.number().int().min(0) },
  OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: { path: ['sessionsGarbageThreshold'], schema: z.number().int().min(0) },
  OPENVIDU_PRO_STATS_MONITORING_INTERVAL: { path: ['proStats', 'monitoringInterval'], schema: z.number().int().min(0) },
  OPENVIDU_PRO_STATS_WEBRTC_INTERVAL: { path: ['proStats', 'webrtcInterval'], schema: z.number().int().min(0) },
};

/** "openvidu.recording.public-access" (the Pro 2.x spelling) → "OPENVIDU_RECORDING_PUBLIC_ACCESS". */
export function propertyName(key: string): string {
  return key.replace(/[.-]/g, '_').toUpperCase();
}

/**
 * The live configuration in force: liveConf.json, then the changes POST /pro/restart made, which are kept in
 * <dataDir>/live/settings.json so they survive a restart. The port cannot be changed that way, and the recording path
 * only to a folder inside the data folder.
 */
export class LiveSettings {
  private overrides: Record<string, unknown> = {};
  current: LiveConfig;

  constructor(
    private readonly base: LiveConfig,
    private readonly file: string,
    private readonly defaultRecordingPath: string,
    private readonly dataDir: string,
  ) {
    this.current = base;
  }

  async load(): Promise<void> {
    let saved: Record<string, unknown> = {};
    try {
      saved = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // Saved before the path was confined: recordings go back to the default folder.
    if (typeof saved.OPENVIDU_RECORDING_PATH === 'string' && !this.insideDataDir(saved.OPENVIDU_RECORDING_PATH)) delete saved.OPENVIDU_RECORDING_PATH;
    this.current = this.merged(saved);
    this.overrides = saved;
  }

  get publicUrl(): string {
    return (this.current.publicUrl ?? `http://localhost:${this.current.port}`).replace(/\/+$/, '');
  }

  get recordingPath(): string {
    return this.current.recording.path ?? this.defaultRecordingPath;
  }

  /** Validates every property first: one bad property changes nothing. */
  async apply(body: unknown): Promise<void> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('The body must be a JSON object of configuration properties');
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      const name = propertyName(key);
      const property = MODIFIABLE[name];
      if (!property) throw new BadRequestError(`Property ${key} does not exist or cannot be modified this way`);
      const parsed = property.schema.safeParse(value);
      if (!parsed.success) throw new BadRequestError(`Property ${key} has an invalid value: ${parsed.error.issues[0]!.message}`);
      changes[name] = parsed.data;
    }
    if (typeof changes.OPENVIDU_RECORDING_PATH === 'string') {
      const folder = path.resolve(this.dataDir, changes.OPENVIDU_RECORDING_PATH);
      if (!this.insideDataDir(folder)) throw new BadRequestError('OPENVIDU_RECORDING_PATH must be a folder inside the platform\'s data folder');
      changes.OPENVIDU_RECORDING_PATH = folder;
    }
    const overrides = { ...this.overrides, ...changes };
    const next = this.merged(overrides);
    if (next.webhook.enabled && !/^https?:\/\/\S+$/.test(next.webhook.endpoint)) throw new BadRequestError('OPENVIDU_WEBHOOK_ENDPOINT must be an http(s) URL when OPENVIDU_WEBHOOK is true');
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(`${this.file}.tmp`, JSON.stringify(overrides, null, 2));
    await rename(`${this.file}.tmp`, this.file);
    this.overrides = overrides;
    this.current = next;
  }

  private insideDataDir(folder: string): boolean {
    const relative = path.relative(path.resolve(this.dataDir), path.resolve(this.dataDir, folder));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  private merged(overrides: Record<string, unknown>): LiveConfig {
    const raw = structuredClone(this.base) as unknown as Record<string, Record<string, unknown>>;
    for (const [name, value] of Object.entries(overrides)) {
      const property = MODIFIABLE[name];
      if (!property) continue;
      const [first, second] = property.path;
      if (second === undefined) (raw as Record<string, unknown>)[first] = value;
      else raw[first]![second] = value;
    }
    const parsed = liveConfigSchema.safeParse(raw);
    if (!parsed.success) throw new BadRequestError(`Invalid configuration: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    return parsed.data;
  }

  /** The webhook's headers carry its credentials: an application sees their names only. */
  private webhookHeaders(withSecrets: boolean): string[] {
    return withSecrets ? this.current.webhook.headers : this.current.webhook.headers.map((header) => `${header.slice(0, header.indexOf(':'))}: ***`);
  }

  /** GET /openvidu/api/config. */
  openviduConfig({ withSecrets = true } = {}): OpenviduConfigJson {
    const c = this.current;
    const url = new URL(this.publicUrl);
    return {
      VERSION: OPENVIDU_VERSION,
      DOMAIN_OR_PUBLIC_IP: url.hostname,
      HTTPS_PORT: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      OPENVIDU_PUBLICURL: this.publicUrl,
      OPENVIDU_CDR: c.cdr,
      OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: c.streams.videoMaxRecvBandwidth,
      OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH: c.streams.videoMinRecvBandwidth,
      OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH: c.streams.videoMaxSendBandwidth,
      OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH: c.streams.videoMinSendBandwidth,
      OPENVIDU_SESSIONS_GARBAGE_INTERVAL: c.sessionsGarbageInterval,
      OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: c.sessionsGarbageThreshold,
      OPENVIDU_RECORDING: c.recording.enabled,
      OPENVIDU_RECORDING_VERSION: OPENVIDU_VERSION,
      OPENVIDU_RECORDING_PATH: this.recordingPath,
      OPENVIDU_RECORDING_PUBLIC_ACCESS: c.recording.publicAccess,
      OPENVIDU_RECORDING_NOTIFICATION: c.recording.notification,
      OPENVIDU_RECORDING_CUSTOM_LAYOUT: c.recording.customLayout,
      OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: c.recording.autostopTimeout,
      OPENVIDU_WEBHOOK: c.webhook.enabled,
      OPENVIDU_WEBHOOK_ENDPOINT: c.webhook.endpoint,
      OPENVIDU_WEBHOOK_HEADERS: this.webhookHeaders(withSecrets),
      OPENVIDU_WEBHOOK_EVENTS: c.webhook.events,
    };
  }

  /** GET /pro/config, the Pro 2.x camelCase shape. */
  proConfig({ withSecrets = true } = {}): ProConfigJson {
    const c = this.current;
    return {
      version: OPENVIDU_VERSION,
      openviduServerDependencyVersion: OPENVIDU_VERSION,
      openviduProStatsMonitoringInterval: c.proStats.monitoringInterval,
      openviduProStatsWebrtcInterval: c.proStats.webrtcInterval,
      openviduPublicurl: `${this.publicUrl}/`,
      openviduCdr: c.cdr,
      maxRecvBandwidth: c.streams.videoMaxRecvBandwidth,
      minRecvBandwidth: c.streams.videoMinRecvBandwidth,
      maxSendBandwidth: c.streams.videoMaxSendBandwidth,
      minSendBandwidth: c.streams.videoMinSendBandwidth,
      openviduRecording: c.recording.enabled,
      openviduRecordingVersion: OPENVIDU_VERSION,
      openviduRecordingPath: this.recordingPath,
      openviduRecordingPublicAccess: c.recording.publicAccess,
      openviduRecordingNotification: c.recording.notification,
      openviduRecordingCustomLayout: c.recording.customLayout,
      openviduRecordingAutostopTimeout: c.recording.autostopTimeout,
      openviduWebhook: c.webhook.enabled,
      openviduWebhookEndpoint: c.webhook.endpoint,
      openviduWebhookHeaders: this.webhookHeaders(withSecrets),
      openviduWebhookEvents: c.webhook.events,
      openviduSessionsGarbageInterval: c.sessionsGarbageInterval,
      openviduSessionsGarbageThreshold: c.sessionsGarbageThreshold,
    };
  }
}
