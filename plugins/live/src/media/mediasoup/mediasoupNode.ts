import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { Consumer, DirectTransport, PlainTransport, Producer, Router, RouterRtpCodecCapability, RtpCapabilities, TransportListenInfo, WebRtcTransport, Worker } from 'mediasoup/types';
import type { EngineOptions, MediaKind, RtpForward } from '../mediaEngine.js';
import type { MediaNode, MediaNodeStatus } from '../mediaNode.js';

const h264Parameters = { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 };

/** The codecs a session may use: opus, and its forcedVideoCodec (VP8 or H264 constrained baseline). */
export function sessionCodecs(payloadTypes: Partial<Record<string, number>> = {}): RouterRtpCodecCapability[] {
  return [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: payloadTypes['audio/opus'] },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: payloadTypes['video/vp8'] },
    { kind: 'video', mimeType: 'video/H264', clockRate: 90000, parameters: h264Parameters, preferredPayloadType: payloadTypes['video/h264'] },
  ];
}

function listenInfos({ announcedIp }: EngineOptions): TransportListenInfo[] {
  // Behind NAT one socket on every interface, announced at the public address.
  if (announcedIp) return [{ protocol: 'udp', ip: '0.0.0.0', announcedAddress: announcedIp }];
  return ['127.0.0.1', ...hostAddresses()].map((ip) => ({ protocol: 'udp', ip }));
}

function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

/**
 * One mediasoup Worker (a C++ process on one core) with its routers: an OpenVidu Pro media node. Publishers land on
 * its home router; a subscriber is served by a router whose payload types are the ones its offer chose (the answer
 * must keep the offer's payload types, and a consumer sends its router's), fed from the home router by pipeToRouter.
 */
export class MediasoupNode implements MediaNode {
  readonly ip: string;
  readonly uri: string;
  readonly launchingTime: number;
  readonly connectionTime = Date.now();
  status: MediaNodeStatus = 'running';
  private readonly routers = new Map<string, Promise<Router>>();
  private readonly piped = new Map<string, Promise<string>>();
  private direct?: Promise<DirectTransport>;
  /** producer id → its consumers, to ask the producer for key frames through one. */
  private readonly consumers = new Map<string, Set<Consumer>>();
  private cpu = { at: Date.now(), ms: 0, load: 0 };
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    readonly id: string,
    readonly environmentId: string,
    readonly worker: Worker,
    readonly home: Router,
    private readonly options: EngineOptions,
    launchingTime: number,
  ) {
    this.launchingTime = launchingTime;
    this.ip = options.announcedIp ?? hostAddresses()[0] ?? '127.0.0.1';
    this.uri = `worker://${os.hostname()}/${worker.pid}`;
    this.sampler = setInterval(() => void this.sampleLoad(), 2000).unref();
    worker.observer.once('close', () => clearInterval(this.sampler));
  }

  static async start(id: string, environmentId: string, workerBin: string, options: EngineOptions): Promise<MediasoupNode> {
    const launchingTime = Date.now();
    const worker = await mediasoup.createWorker({ workerBin, logLevel: 'error' });
    try {
      return new MediasoupNode(id, environmentId, worker, await worker.createRouter({ mediaCodecs: sessionCodecs() }), options, launchingTime);
    } catch (error) {
      worker.close();
      throw error;
    }
  }

  /** The share of one core the worker used since the previous sample (getrusage of the worker process). */
  private async sampleLoad(): Promise<void> {
    if (this.worker.closed) return;
    const usage = await this.worker.getResourceUsage().catch(() => undefined);
    if (!usage) return;
    const now = Date.now();
    const ms = usage.ru_utime + usage.ru_stime;
    if (now > this.cpu.at) this.cpu = { at: now, ms, load: Math.min(100, Math.max(0, ((ms - this.cpu.ms) / (now - this.cpu.at)) * 100)) };
  }

  load(): number {
    return Math.round(this.cpu.load * 100) / 100;
  }

  extraInfo(): Record<string, unknown> {
    return { engine: 'mediasoup', version: mediasoup.version, pid: this.worker.pid, routers: this.routers.size + 1 };
  }

  webRtcTransport(router: Router): Promise<WebRtcTransport> {
    return router.createWebRtcTransport({ listenInfos: listenInfos(this.options), enableUdp: true, enableTcp: false, preferUdp: true });
  }

  /** The router whose payload types are the client's; the home router when the client's collide or are its own. */
  async routerFor(capabilities: RtpCapabilities): Promise<Router> {
    const payloadTypes: Record<string, number> = {};
    for (const codec of capabilities.codecs ?? []) {
      const mime = codec.mimeType.toLowerCase();
      if (mime === 'audio/opus' || mime === 'video/vp8' || (mime === 'video/h264' && Number(codec.parameters?.['packetization-mode']) === 1)) payloadTypes[mime] ??= codec.preferredPayloadType!;
    }
    if (new Set(Object.values(payloadTypes)).size !== Object.keys(payloadTypes).length) return this.home;
    const sameAsHome = (this.home.rtpCapabilities.codecs ?? []).filter((c) => payloadTypes[c.mimeType.toLowerCase()] === c.preferredPayloadType).length === Object.keys(payloadTypes).length;
    if (sameAsHome) return this.home;
    const key = Object.entries(payloadTypes)
      .sort()
      .map(([mime, pt]) => `${mime}=${pt}`)
      .join(',');
    let router = this.routers.get(key);
    if (!router) {
      router = this.worker.createRouter({ mediaCodecs: sessionCodecs(payloadTypes) }).catch(() => this.home);
      this.routers.set(key, router);
    }
    return router;
  }

  /** The home router's producer in another router of the same worker (once per router). */
  pipe(producer: Producer, router: Router): Promise<string> {
    if (router === this.home) return Promise.resolve(producer.id);
    const key = `${producer.id}:${router.id}`;
    let piped = this.piped.get(key);
    if (!piped) {
      piped = this.home.pipeToRouter({ producerId: producer.id, router, keepId: false }).then(({ pipeProducer }) => {
        producer.observer.once('close', () => this.piped.delete(key));
        return pipeProducer!.id;
      });
      this.piped.set(key, piped);
    }
    return piped;
  }

  holdConsumer(producer: Producer, consumer: Consumer): void {
    const held = this.consumers.get(producer.id) ?? new Set<Consumer>();
    this.consumers.set(producer.id, held);
    held.add(consumer);
    consumer.observer.once('close', () => {
      held.delete(consumer);
      if (held.size === 0 && this.consumers.get(producer.id) === held) this.consumers.delete(producer.id);
    });
  }

  /** A consumer asks its producer for a key frame: any open one of the producer's will do. */
  requestKeyFrame(producer: Producer): boolean {
    // A paused consumer (a subscription offered, not answered yet) would drop the request.
    const consumer = [...(this.consumers.get(producer.id) ?? [])].find((c) => !c.closed && !c.paused);
    void consumer?.requestKeyFrame().catch(() => undefined);
    return consumer !== undefined;
  }

  /** The raw RTP of a producer, in Node: a consumer on a DirectTransport of the home router. */
  async tap(producer: Producer): Promise<Consumer> {
    this.direct ??= this.home.createDirectTransport();
    const consumer = await (await this.direct).consume({ producerId: producer.id, rtpCapabilities: this.home.rtpCapabilities, enableRtx: false });
    this.holdConsumer(producer, consumer);
    return consumer;
  }

  /** A producer's RTP sent by the worker itself to 127.0.0.1:port (RTCP to port + 1), as a recorder's ffmpeg reads it. */
  async forward(producer: Producer, kind: MediaKind, port: number): Promise<RtpForward> {
    const transport: PlainTransport = await this.home.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: false });
    try {
      await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: this.home.rtpCapabilities, enableRtx: false, paused: true });
      this.holdConsumer(producer, consumer);
      let last: ReturnType<RtpForward['lastPacket']>;
      // The last audio packet's numbers: the recorder follows a stream gone quiet with packets of its own.
      if (kind === 'audio') {
        await consumer.enableTraceEvent(['rtp']);
        consumer.on('trace', (trace) => {
          const rtp = (trace.info as { rtpPacket?: { sequenceNumber: number; timestamp: number; ssrc: number } }).rtpPacket;
          if (rtp) last = { sequenceNumber: rtp.sequenceNumber, timestamp: rtp.timestamp, ssrc: rtp.ssrc };
        });
      }
      await consumer.resume();
      if (kind === 'video') void consumer.requestKeyFrame().catch(() => undefined);
      return { payloadType: consumer.rtpParameters.codecs[0]!.payloadType, lastPacket: () => last, close: () => transport.close() };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  close(): void {
    clearInterval(this.sampler);
    this.worker.close();
  }
}
