import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Capture, LiveFfmpeg } from '../recording/ffmpeg.js';
import type { IceCandidate, MediaKind, PublisherEndpoint, RtpListener, TrackCodec } from '../media/mediaEngine.js';

/**
 * The publisher of an IPCAM connection: ffmpeg pulls the camera and sends RTP to two loopback sockets, whose
 * packets reach the engine's subscribers and the recorder like any published stream's. Engine independent.
 */
export class RtpIngestPublisher implements PublisherEndpoint {
  readonly id = randomUUID();
  private readonly sockets = new Map<MediaKind, dgram.Socket>();
  private readonly listeners = new Map<MediaKind, Set<RtpListener>>([
    ['audio', new Set()],
    ['video', new Set()],
  ]);
  private readonly seen = new Set<MediaKind>();
  private capture?: Capture;

  private constructor() {}

  /** Resolves once video packets flow; rejects (and cleans up) when the camera cannot be read in time. */
  static async open(ffmpeg: LiveFfmpeg, uri: string, options: { videoKbps: number; networkCacheMs: number; timeoutMs?: number }): Promise<RtpIngestPublisher> {
    const ingest = new RtpIngestPublisher();
    try {
      const ports: Record<MediaKind, number> = { audio: 0, video: 0 };
      for (const kind of ['audio', 'video'] as const) {
        const socket = dgram.createSocket('udp4');
        await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, '127.0.0.1', () => resolve()));
        socket.on('message', (packet) => {
          ingest.seen.add(kind);
          for (const listener of ingest.listeners.get(kind)!) listener(packet);
        });
        ingest.sockets.set(kind, socket);
        ports[kind] = (socket.address() as AddressInfo).port;
      }
      ingest.capture = ffmpeg.pullToRtp(uri, ports, options);
      const deadline = Date.now() + (options.timeoutMs ?? 15_000);
      while (!ingest.seen.has('video')) {
        if (Date.now() > deadline) throw new Error(`no video from ${uri} within ${options.timeoutMs ?? 15_000} ms`);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), ingest.capture.done]);
      }
      return ingest;
    } catch (error) {
      await ingest.close();
      throw error;
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

  async close(): Promise<void> {
    await this.capture?.stop().catch(() => undefined);
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
    for (const listeners of this.listeners.values()) listeners.clear();
  }
}
