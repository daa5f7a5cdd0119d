import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BadRequestError, ConflictError, OutboundUnreachableError, reachOutbound, z, type Logger } from '@mediahost/core';
import type { MediaKind, PublisherEndpoint, TrackCodec } from '../media/mediaEngine.js';
import type { Caller } from '../openvidu/caller.js';
import { LAYOUTS, parseBody, recordingRangeProblem } from '../openvidu/bodies.js';
import { InternalError, NotAcceptableError, NotImplementedError, UnprocessableError } from '../openvidu/httpErrors.js';
import { CUSTOM_LAYOUT_UNSUPPORTED, type RecordingLayout } from '../recording/layouts.js';
import type { Capture, LiveFfmpeg } from '../recording/ffmpeg.js';
import { keepRtpInputOpen } from '../recording/rtpKeepAlive.js';
import { freePortPair, PAYLOAD_TYPE, rtpmap } from '../recording/streamRecorder.js';
import { activeConnections, type Session } from '../sessions/model.js';
import type { SessionRegistry } from '../sessions/sessionRegistry.js';
import type { MediaEndpoints } from '../signalling/mediaEndpoints.js';

export const broadcastStartSchema = z.object({
  session: z.string({ error: 'session is mandatory' }).min(1, 'session is mandatory'),
  broadcastUrl: z.string({ error: 'broadcastUrl is mandatory' }).regex(/^rtmps?:\/\/\S+$/, 'broadcastUrl must be an rtmp:// or rtmps:// URL'),
  hasAudio: z.boolean().optional(),
  hasVideo: z.boolean().optional(),
  recordingLayout: z.enum(LAYOUTS).optional(),
  customLayout: z.string().optional(),
  resolution: z.string().optional(),
  frameRate: z.number().optional(),
  shmSize: z.number().optional(),
  mediaNode: z.union([z.string(), z.object({ id: z.string() })]).optional(),
});
export const broadcastStopSchema = z.object({ session: z.string({ error: 'session is mandatory' }).min(1, 'session is mandatory') });

/** How often, and how far apart, a broadcast tries to start again with a new set of streams. */
const FOLLOW_ATTEMPTS = 3;
const FOLLOW_RETRY_MS = 3000;

interface BroadcastOptions {
  width: number;
  height: number;
  frameRate: number;
  hasAudio: boolean;
  hasVideo: boolean;
  layout: RecordingLayout;
}

/** One ffmpeg sending the streams published when it started. */
interface Capturing {
  capture: Capture;
  untaps: (() => void)[];
  socket: dgram.Socket;
  keyFrames: NodeJS.Timeout;
  dir: string;
}

interface Broadcast {
  url: string;
  options: BroadcastOptions;
  /** Undefined while nobody publishes. */
  capturing?: Capturing;
  /** Relaunches one at a time, in the order the streams changed. */
  changes: Promise<void>;
}

/**
 * POST /openvidu/api/broadcast/start and /stop: the session's published streams, laid out as asked and sent live to
 * an RTMP server by one ffmpeg. When a stream is published or unpublished, the ffmpeg is started again with the new
 * set (the RTMP server sees the publisher reconnect), as OpenVidu's composed broadcast shows whoever publishes now.
 * The URL goes through the platform's outbound filter first.
 */
export class BroadcastService {
  private readonly running = new Map<string, Broadcast>();

  constructor(
    private readonly deps: { registry: SessionRegistry; endpoints: MediaEndpoints; ffmpeg: LiveFfmpeg; logger: Logger; allowedNetworks: string[] },
  ) {
    deps.registry.on('sessionDestroyed', (session: Session) => void this.end(session));
    deps.registry.on('streamPublished', (session: Session) => this.follow(session));
    deps.registry.on('streamUnpublished', (session: Session) => this.follow(session));
  }

  async start(body: unknown, caller: Caller): Promise<Session> {
    const input = parseBody(broadcastStartSchema, body);
    const problem = recordingRangeProblem(input);
    if (problem) throw new UnprocessableError(problem);
    const session = this.deps.registry.get(input.session, caller);
    if (session.mediaMode !== 'ROUTED') throw new ConflictError('The session is not ROUTED');
    if (session.broadcasting) throw new ConflictError('The session is already being broadcasted');
    if (activeConnections(session).length === 0) throw new NotAcceptableError('The session has no connected participants');
    const layout = input.recordingLayout ?? session.defaultRecordingProperties.recordingLayout;
    if ((input.hasVideo ?? true) && layout === 'CUSTOM') throw new NotImplementedError(CUSTOM_LAYOUT_UNSUPPORTED);
    const url = await this.checkedUrl(input.broadcastUrl);
    session.broadcasting = true;
    try {
      const [width, height] = (input.resolution ?? '1280x720').split('x').map(Number) as [number, number];
      const options: BroadcastOptions = { width, height, frameRate: input.frameRate ?? 25, hasAudio: input.hasAudio ?? true, hasVideo: input.hasVideo ?? true, layout };
      this.running.set(session.id, { url, options, capturing: await this.launch(session, url, options), changes: Promise.resolve() });
    } catch (error) {
      session.broadcasting = false;
      this.deps.logger.warn('a broadcast could not start', { sessionId: session.id, error });
      throw new InternalError(`The broadcast could not start: ${(error as Error).message.split('\n')[0]}`);
    }
    return session;
  }

  async stop(body: unknown, caller: Caller): Promise<Session> {
    const input = parseBody(broadcastStopSchema, body);
    const session = this.deps.registry.get(input.session, caller);
    if (!session.broadcasting) throw new ConflictError('The session is not being broadcasted');
    await this.end(session);
    return session;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.deps.registry.list().map((session) => this.end(session)));
  }

  /** The RTMP host must pass the outbound filter; ffmpeg is given the address checked. */
  private async checkedUrl(broadcastUrl: string): Promise<string> {
    const url = new URL(broadcastUrl);
    try {
      const address = await reachOutbound(url.hostname, Number(url.port || (url.protocol === 'rtmps:' ? 443 : 1935)), { allowedNetworks: this.deps.allowedNetworks, timeoutMs: 5000 });
      url.hostname = address.includes(':') ? `[${address}]` : address;
      return url.href;
    } catch (error) {
      if (error instanceof OutboundUnreachableError) throw new BadRequestError('broadcastUrl cannot be reached');
      throw error;
    }
  }

  /**
   * After a stream came or went, the broadcast starts again with the streams published now (none: it waits for one).
   * A start that fails is tried again a few times; then the broadcast ends.
   */
  private follow(session: Session, attempt = 1): void {
    const broadcast = this.running.get(session.id);
    if (!broadcast) return;
    broadcast.changes = broadcast.changes.then(async () => {
      if (this.running.get(session.id) !== broadcast) return;
      const previous = broadcast.capturing;
      broadcast.capturing = undefined;
      if (previous) await this.release(previous);
      if (!this.hasStreams(session, broadcast.options)) return;
      try {
        broadcast.capturing = await this.launch(session, broadcast.url, broadcast.options);
        // Stopped meanwhile (stop, session closed): what was just started goes too.
        if (this.running.get(session.id) !== broadcast) {
          await this.release(broadcast.capturing);
          broadcast.capturing = undefined;
        }
      } catch (error) {
        const retrying = attempt < FOLLOW_ATTEMPTS;
        this.deps.logger.warn(retrying ? 'a broadcast could not follow its streams, trying again' : 'a broadcast could not follow its streams, it ends', { sessionId: session.id, attempt, error });
        if (retrying) setTimeout(() => this.follow(session, attempt + 1), FOLLOW_RETRY_MS).unref();
        else void this.end(session);
      }
    });
  }

  private hasStreams(session: Session, options: BroadcastOptions): boolean {
    return this.taps(session, options).length > 0;
  }

  /** Each track of the session's published streams that the broadcast carries. */
  private taps(session: Session, options: BroadcastOptions): { kind: MediaKind; codec: TrackCodec; endpoint: PublisherEndpoint }[] {
    const taps = [];
    for (const connection of activeConnections(session)) {
      for (const stream of connection.publishers.values()) {
        const endpoint = this.deps.endpoints.publishers.get(stream.streamId);
        if (!endpoint) continue;
        for (const codec of endpoint.codecs()) {
          if ((codec.kind === 'audio' && !options.hasAudio) || (codec.kind === 'video' && !options.hasVideo)) continue;
          taps.push({ kind: codec.kind, codec, endpoint });
        }
      }
    }
    return taps;
  }

  private async launch(session: Session, url: string, options: BroadcastOptions): Promise<Capturing> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mediahost-broadcast-'));
    const socket = dgram.createSocket('udp4');
    const untaps: (() => void)[] = [];
    const sdp = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=mediahost broadcast', 'c=IN IP4 127.0.0.1', 't=0 0'];
    const videos: number[] = [];
    const audios: number[] = [];
    const taps: { kind: MediaKind; port: number; endpoint: PublisherEndpoint }[] = [];
    for (const { kind, codec, endpoint } of this.taps(session, options)) {
      const port = await freePortPair();
      (kind === 'video' ? videos : audios).push(taps.length);
      taps.push({ kind, port, endpoint });
      sdp.push(`m=${kind} ${port} RTP/AVP ${PAYLOAD_TYPE[kind]}`, ...rtpmap(codec));
    }
    if (taps.length === 0) throw new Error('no published stream to broadcast');
    const sdpFile = path.join(dir, 'broadcast.sdp');
    await writeFile(sdpFile, `${sdp.join('\r\n')}\r\n`);
    const capture = this.deps.ffmpeg.broadcastRtp(sdpFile, url, { videos, audios, width: options.width, height: options.height, frameRate: options.frameRate, layout: options.layout });
    let lastSentAt = Date.now();
    untaps.push(keepRtpInputOpen(socket, taps.map((tap) => tap.port), () => lastSentAt));
    for (const { kind, port, endpoint } of taps) {
      untaps.push(
        endpoint.onRtp(kind, (packet) => {
          lastSentAt = Date.now();
          const copy = Buffer.from(packet);
          copy[1] = (copy[1]! & 0x80) | PAYLOAD_TYPE[kind];
          socket.send(copy, port, '127.0.0.1');
        }),
      );
    }
    const keyFrames = setInterval(() => {
      for (const { endpoint } of taps) endpoint.requestKeyFrame();
    }, 2000);
    const broadcast: Capturing = { capture, untaps, socket, keyFrames, dir };
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing sent within 20 s; ffmpeg said: ${capture.log()}`)), 20_000).unref());
    try {
      await Promise.race([capture.live, capture.done.then(() => Promise.reject(new Error('ffmpeg ended'))), timeout]);
    } catch (error) {
      await this.release(broadcast);
      throw error;
    }
    capture.done.catch((error: unknown) => this.deps.logger.warn('a broadcast ended on an error', { sessionId: session.id, error }));
    return broadcast;
  }

  private async end(session: Session): Promise<void> {
    const broadcast = this.running.get(session.id);
    session.broadcasting = false;
    if (!broadcast) return;
    this.running.delete(session.id);
    await broadcast.changes;
    if (broadcast.capturing) await this.release(broadcast.capturing);
  }

  private async release(broadcast: Capturing): Promise<void> {
    clearInterval(broadcast.keyFrames);
    await broadcast.capture.stop().catch(() => undefined);
    for (const untap of broadcast.untaps.splice(0)) untap();
    broadcast.socket.close();
    await rm(broadcast.dir, { recursive: true, force: true });
  }
}
