import dgram from 'node:dgram';
import { stat, writeFile } from 'node:fs/promises';
import type { MediaKind, PublisherEndpoint, RtpForward, TrackCodec } from '../media/mediaEngine.js';
import type { Capture, LiveFfmpeg } from './ffmpeg.js';
import { keepRtpInputOpen } from './rtpKeepAlive.js';

export const PAYLOAD_TYPE: Record<MediaKind, number> = { audio: 111, video: 96 };

/** An Opus packet with no frame (TOC byte only, 20 ms): decoders conceal it as a lost frame. */
const EMPTY_OPUS = Buffer.from([0xf8]);
/** The stream counts as quiet once no packet came for this long. */
const QUIET_MS = 300;

/** Two consecutive free UDP ports (ffmpeg takes RTP on an even port and RTCP on the next). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 20000);
    const sockets = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
    try {
      await Promise.all(sockets.map((s, i) => new Promise<void>((resolve, reject) => s.once('error', reject).bind(port + i, '127.0.0.1', () => resolve()))));
      return port;
    } catch {
      // taken: try another pair
    } finally {
      for (const s of sockets) s.close();
    }
  }
  throw new Error('no free UDP port pair for the recorder');
}

export function rtpmap(codec: TrackCodec, pt = PAYLOAD_TYPE[codec.kind]): string[] {
  const name = codec.mimeType.split('/')[1]!;
  const lines = [`a=rtpmap:${pt} ${name}/${codec.clockRate}${codec.kind === 'audio' ? `/${codec.channels ?? 2}` : ''}`];
  if (name.toUpperCase() === 'H264') lines.push(`a=fmtp:${pt} packetization-mode=1`);
  return lines;
}

/**
 * Records one published stream: its RTP goes over loopback UDP to an ffmpeg reading an SDP, which copies it into a
 * file (VP8/Opus → WebM, H.264 → Matroska). Engines that can send it there themselves do (mediasoup's
 * PlainTransport); from the others it is taken in Node (onRtp) and sent on.
 */
export class StreamRecorder {
  startedAt = 0;
  endedAt = 0;
  private capture?: Capture;
  private readonly socket = dgram.createSocket('udp4');
  private readonly untaps: (() => void)[] = [];
  private keyFrames?: NodeJS.Timeout;
  private stopKeepAlive = () => {};
  private lastPacketAt = 0;
  /** The last audio packet's header fields, to follow it with a packet of our own. */
  private lastAudio?: { seq: number; timestamp: number; ssrc: number; port: number; payloadType: number };
  private readonly forwards = new Map<MediaKind, { forward: RtpForward; port: number; lastSeq?: number }>();

  constructor(
    private readonly ffmpeg: LiveFfmpeg,
    private readonly endpoint: PublisherEndpoint,
    private readonly kinds: MediaKind[],
    /** Without extension. */
    private readonly basePath: string,
  ) {}

  file = '';

  get recordsAnything(): boolean {
    return this.codecs().length > 0;
  }

  private codecs(): TrackCodec[] {
    return this.endpoint.codecs().filter((c) => this.kinds.includes(c.kind));
  }

  /** Resolves once the file exists and holds data. */
  async start(timeoutMs = 20_000): Promise<void> {
    const codecs = this.codecs();
    if (codecs.length === 0) throw new Error('the stream has none of the recorded kinds');
    const video = codecs.find((c) => c.kind === 'video');
    this.file = `${this.basePath}.${video && /h264/i.test(video.mimeType) ? 'mkv' : 'webm'}`;
    const ports = new Map<MediaKind, number>();
    const sdp = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=mediahost recording', 'c=IN IP4 127.0.0.1', 't=0 0'];
    // Forwarded packets keep the engine's payload types; the ones relayed here are given ours.
    const forwarding = this.endpoint.forwardRtp !== undefined;
    for (const codec of codecs) {
      const port = await freePortPair();
      ports.set(codec.kind, port);
      const pt = forwarding ? codec.payloadType : PAYLOAD_TYPE[codec.kind];
      sdp.push(`m=${codec.kind} ${port} RTP/AVP ${pt}`, ...rtpmap(codec, pt));
    }
    await writeFile(`${this.basePath}.sdp`, `${sdp.join('\r\n')}\r\n`);
    this.capture = this.ffmpeg.captureRtp(`${this.basePath}.sdp`, this.file);
    this.startedAt = Date.now();
    for (const [kind, port] of ports) {
      if (this.endpoint.forwardRtp) {
        this.forwards.set(kind, { forward: await this.endpoint.forwardRtp(kind, port), port });
        continue;
      }
      const pt = PAYLOAD_TYPE[kind];
      this.untaps.push(
        this.endpoint.onRtp(kind, (packet) => {
          const copy = Buffer.from(packet);
          copy[1] = (copy[1]! & 0x80) | pt;
          this.lastPacketAt = Date.now();
          if (kind === 'audio' && copy.length >= 12) this.lastAudio = { seq: copy.readUInt16BE(2), timestamp: copy.readUInt32BE(4), ssrc: copy.readUInt32BE(8), port, payloadType: pt };
          this.socket.send(copy, port, '127.0.0.1');
        }),
      );
    }
    // Forwarded packets are seen through the audio consumer's trace (a video-only forward gets the reports anyway: harmless).
    this.stopKeepAlive = keepRtpInputOpen(this.socket, [...ports.values()], () => {
      this.followForwardedAudio();
      return this.lastPacketAt;
    });
    // ffmpeg needs a key frame to start the file; ask until it has one.
    this.keyFrames = setInterval(() => this.endpoint.requestKeyFrame(), 1000);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const size = await stat(this.file).then((s) => s.size, () => 0);
        if (size > 0) break;
        if (Date.now() > deadline) throw new Error(`no media written to ${this.file} within ${timeoutMs} ms: ${this.capture.log()}`);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 200)), this.capture.done]);
      }
    } finally {
      clearInterval(this.keyFrames);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.keyFrames);
    this.stopKeepAlive();
    this.endedAt = Date.now();
    // ffmpeg leaves its read at the next packet: a stream gone quiet (its publisher left, its session closed) gets
    // empty audio frames of ours until ffmpeg has written the file's end.
    const wake = setInterval(() => this.sendEmptyAudio(), 100);
    try {
      await this.capture?.stop();
    } finally {
      clearInterval(wake);
      for (const untap of this.untaps.splice(0)) untap();
      for (const { forward } of this.forwards.values()) forward.close();
      this.socket.close();
    }
  }

  /** What the engine last forwarded, followed like the packets relayed here (sendEmptyAudio). */
  private followForwardedAudio(): void {
    const audio = this.forwards.get('audio');
    const packet = audio?.forward.lastPacket();
    if (!audio || !packet || packet.sequenceNumber === audio.lastSeq) return;
    audio.lastSeq = packet.sequenceNumber;
    this.lastPacketAt = Date.now();
    this.lastAudio = { seq: packet.sequenceNumber, timestamp: packet.timestamp, ssrc: packet.ssrc, port: audio.port, payloadType: audio.forward.payloadType };
  }

  private sendEmptyAudio(): void {
    this.followForwardedAudio();
    const last = this.lastAudio;
    if (!last || Date.now() - this.lastPacketAt < QUIET_MS) return;
    last.seq = (last.seq + 1) & 0xffff;
    last.timestamp = (last.timestamp + 960) >>> 0;
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = last.payloadType;
    header.writeUInt16BE(last.seq, 2);
    header.writeUInt32BE(last.timestamp, 4);
    header.writeUInt32BE(last.ssrc, 8);
    this.socket.send(Buffer.concat([header, EMPTY_OPUS]), last.port, '127.0.0.1');
  }
}
