import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Capture, LiveFfmpeg } from '../recording/ffmpeg.js';
import type { IceCandidate, MediaKind, PublisherEndpoint, RtpListener, TrackCodec } from '../media/mediaEngine.js';
import { RtpContinuity } from '../media/rtpContinuity.js';

export interface PullOptions {
  videoKbps: number;
  networkCacheMs: number;
  /** How long one attempt may take to bring video. */
  timeoutMs?: number;
}

/** When a camera that was read drops (its stream ends, or no video comes for staleMs), it is pulled again. */
export interface ReconnectPolicy {
  staleMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

/** What the owner is told of a camera's drops, for its log and to end the connection once the camera is lost. */
export interface CameraEvents {
  reconnecting(details: { attempt: number; delayMs: number; cause: string }): void;
  restored(details: { attempts: number }): void;
  lost(details: { attempts: number; cause: string }): void;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { staleMs: 3000, firstDelayMs: 500, maxDelayMs: 8000, maxAttempts: 10 };

const NO_EVENTS: CameraEvents = { reconnecting() {}, restored() {}, lost() {} };

/**
 * The publisher of an IPCAM connection: ffmpeg pulls the camera and sends RTP to two loopback sockets, whose
 * packets reach the engine's subscribers and the recorder like any published stream's. Engine independent.
 * A camera that drops is pulled again with a growing delay, a bounded number of times, the RTP kept continuous so
 * subscribers and recordings go on as one stream.
 */
export class RtpIngestPublisher implements PublisherEndpoint {
  readonly id = randomUUID();
  private readonly sockets = new Map<MediaKind, dgram.Socket>();
  private readonly listeners = new Map<MediaKind, Set<RtpListener>>([
    ['audio', new Set()],
    ['video', new Set()],
  ]);
  private readonly continuity = new Map<MediaKind, RtpContinuity>([
    ['audio', new RtpContinuity(48000)],
    ['video', new RtpContinuity(90000)],
  ]);
  private readonly seen = new Set<MediaKind>();
  private lastVideoAt = 0;
  private capture?: Capture;
  private captureEnded?: Promise<string>;
  private closed = false;
  private readonly closeListeners = new Set<() => void>();
  private wake: () => void = () => undefined;

  private constructor(
    private readonly ffmpeg: LiveFfmpeg,
    private readonly uri: string,
    private readonly options: PullOptions,
    private readonly policy: ReconnectPolicy,
    private readonly events: CameraEvents,
  ) {}

  /** Resolves once video packets flow; rejects (and cleans up) when the camera cannot be read in time. */
  static async open(ffmpeg: LiveFfmpeg, uri: string, options: PullOptions, policy = DEFAULT_RECONNECT, events = NO_EVENTS): Promise<RtpIngestPublisher> {
    const ingest = new RtpIngestPublisher(ffmpeg, uri, options, policy, events);
    try {
      for (const kind of ['audio', 'video'] as const) {
        const socket = dgram.createSocket('udp4');
        await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, '127.0.0.1', () => resolve()));
        socket.on('message', (packet) => ingest.received(kind, packet));
        ingest.sockets.set(kind, socket);
      }
      await ingest.pull();
    } catch (error) {
      await ingest.close();
      throw error;
    }
    void ingest.supervise();
    return ingest;
  }

  private received(kind: MediaKind, packet: Buffer): void {
    this.seen.add(kind);
    if (kind === 'video') this.lastVideoAt = Date.now();
    const rewritten = this.continuity.get(kind)!.rewrite(packet);
    for (const listener of this.listeners.get(kind)!) listener(rewritten);
  }

  /** Starts ffmpeg and waits for its first video packet; rejects with the reason it brought none. */
  private async pull(): Promise<void> {
    for (const continuity of this.continuity.values()) continuity.newSource();
    const port = (kind: MediaKind) => (this.sockets.get(kind)!.address() as AddressInfo).port;
    const startedAt = Date.now();
    const capture = this.ffmpeg.pullToRtp(this.uri, { audio: port('audio'), video: port('video') }, this.options);
    this.capture = capture;
    this.captureEnded = capture.done.then(
      () => 'the camera\'s stream ended',
      (error: Error) => error.message,
    );
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    let ended: string | undefined;
    void this.captureEnded.then((cause) => (ended = cause));
    while (this.lastVideoAt < startedAt) {
      if (this.closed) throw new Error('closed');
      if (ended !== undefined) throw new Error(ended);
      if (Date.now() - startedAt > timeoutMs) {
        await capture.stop().catch(() => undefined);
        throw new Error(`no video from ${this.uri} within ${timeoutMs} ms`);
      }
      await Promise.race([delay(100), this.captureEnded]);
    }
  }

  /** Resolves with why the camera is taken as dropped: its ffmpeg ended, or no video came for staleMs. */
  private async dropped(): Promise<string> {
    let ended: string | undefined;
    void this.captureEnded!.then((cause) => (ended = cause));
    for (;;) {
      await Promise.race([delay(250), this.captureEnded]);
      if (this.closed) return 'closed';
      if (ended !== undefined) return ended;
      const quietMs = Date.now() - this.lastVideoAt;
      if (quietMs > this.policy.staleMs) return `no video from the camera for ${quietMs} ms`;
    }
  }

  private async supervise(): Promise<void> {
    while (!this.closed) {
      let cause = await this.dropped();
      if (this.closed) return;
      await this.capture?.stop().catch(() => undefined);
      let attempts = 0;
      for (;;) {
        if (attempts >= this.policy.maxAttempts) return this.events.lost({ attempts, cause: oneLine(cause) });
        const delayMs = Math.min(this.policy.maxDelayMs, this.policy.firstDelayMs * 2 ** attempts);
        attempts += 1;
        this.events.reconnecting({ attempt: attempts, delayMs, cause: oneLine(cause) });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (this.closed) return;
        try {
          await this.pull();
          this.events.restored({ attempts });
          break;
        } catch (error) {
          if (this.closed) return;
          cause = (error as Error).message;
          await this.capture?.stop().catch(() => undefined);
        }
      }
    }
  }

  codecs(): TrackCodec[] {
    const codecs: TrackCodec[] = [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }];
    if (this.seen.has('audio')) codecs.push({ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 });
    return codecs;
  }

  get hasAudio(): boolean {
    return this.seen.has('audio');
  }

  onRtp(kind: MediaKind, listener: RtpListener): () => void {
    this.listeners.get(kind)!.add(listener);
    return () => this.listeners.get(kind)!.delete(listener);
  }

  /** The camera's encoder makes a key frame every second on its own. */
  requestKeyFrame(): void {}

  /** The camera is encoded at the connection's bandwidth already. */
  limitBitrate(_holder: string, _kbps: number): void {}

  async addIceCandidate(_candidate: IceCandidate): Promise<void> {}

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.add(listener);
  }

  async close(): Promise<void> {
    if (!this.closed) for (const listener of this.closeListeners) queueMicrotask(listener);
    this.closeListeners.clear();
    this.closed = true;
    this.wake();
    await this.capture?.stop().catch(() => undefined);
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
    for (const listeners of this.listeners.values()) listeners.clear();
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** ffmpeg's message and its last lines, which name the cause (404, refused, timed out…). */
const oneLine = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean).join(' | ').slice(0, 500);
