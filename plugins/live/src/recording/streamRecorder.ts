import dgram from 'node:dgram';
import { stat, writeFile } from 'node:fs/promises';
import type { MediaKind, PublisherEndpoint, TrackCodec } from '../media/mediaEngine.js';
import type { Capture, LiveFfmpeg } from './ffmpeg.js';

const PAYLOAD_TYPE: Record<MediaKind, number> = { audio: 111, video: 96 };

/** Two consecutive free UDP ports (ffmpeg takes RTP on an even port and RTCP on the next). */
async function freePortPair(): Promise<number> {
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

function rtpmap(codec: TrackCodec): string[] {
  const pt = PAYLOAD_TYPE[codec.kind];
  const name = codec.mimeType.split('/')[1]!;
  const lines = [`a=rtpmap:${pt} ${name}/${codec.clockRate}${codec.kind === 'audio' ? `/${codec.channels ?? 2}` : ''}`];
  if (name.toUpperCase() === 'H264') lines.push(`a=fmtp:${pt} packetization-mode=1`);
  return lines;
}

/**
 * Records one published stream: its RTP, taken from the engine, is sent over loopback UDP to an ffmpeg reading an
 * SDP, which copies it into a file (VP8/Opus → WebM, H.264 → Matroska).
 */
export class StreamRecorder {
  startedAt = 0;
  endedAt = 0;
  private capture?: Capture;
  private readonly socket = dgram.createSocket('udp4');
  private readonly untaps: (() => void)[] = [];
  private keyFrames?: NodeJS.Timeout;

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
    for (const codec of codecs) {
      const port = await freePortPair();
      ports.set(codec.kind, port);
      sdp.push(`m=${codec.kind} ${port} RTP/AVP ${PAYLOAD_TYPE[codec.kind]}`, ...rtpmap(codec));
    }
    await writeFile(`${this.basePath}.sdp`, `${sdp.join('\r\n')}\r\n`);
    this.capture = this.ffmpeg.captureRtp(`${this.basePath}.sdp`, this.file);
    this.startedAt = Date.now();
    for (const [kind, port] of ports) {
      const pt = PAYLOAD_TYPE[kind];
      this.untaps.push(
        this.endpoint.onRtp(kind, (packet) => {
          const copy = Buffer.from(packet);
          copy[1] = (copy[1]! & 0x80) | pt;
          this.socket.send(copy, port, '127.0.0.1');
        }),
      );
    }
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
    this.endedAt = Date.now();
    try {
      // packets keep coming while ffmpeg stops, so it leaves its read at once
      await this.capture?.stop();
    } finally {
      for (const untap of this.untaps.splice(0)) untap();
      this.socket.close();
    }
  }
}
