import { randomUUID } from 'node:crypto';
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type {
  Consumer,
  DirectTransport,
  MediaKind as MsKind,
  Producer,
  Router,
  RouterRtpCodecCapability,
  RtpCapabilities,
  RtpCodecCapability,
  Transport,
  TransportListenInfo,
  WebRtcTransport,
  Worker,
} from 'mediasoup/types';
import { capVideoBandwidth } from '../bandwidth.js';
import type { EndpointOptions, EngineOptions, IceCandidate, MediaEngine, MediaKind, PublisherEndpoint, RtpListener, SubscriberEndpoint, TrackCodec } from '../mediaEngine.js';
import { writeAnswer, type SectionAnswer } from './sdpAnswer.js';
import { clientCapabilities, clientDtlsParameters, offeredCodecs, parseOffer, producerRtpParameters, type OfferSection } from './sdpOffer.js';

const h264Parameters = { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 };

/** The codecs a session may use: opus, and its forcedVideoCodec (VP8 or H264 constrained baseline). */
function sessionCodecs(payloadTypes: Partial<Record<string, number>> = {}): RouterRtpCodecCapability[] {
  return [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: payloadTypes['audio/opus'] },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: payloadTypes['video/vp8'] },
    { kind: 'video', mimeType: 'video/H264', clockRate: 90000, parameters: h264Parameters, preferredPayloadType: payloadTypes['video/h264'] },
  ];
}

/** The offered codec this session takes for a section, or none (the section is then rejected). */
function chooseCodec(section: OfferSection, videoCodec: string): RtpCodecCapability | undefined {
  const offered = offeredCodecs(section);
  if (section.type === 'audio') return offered.find((c) => c.mimeType.toLowerCase() === 'audio/opus');
  if (videoCodec === 'H264') {
    const h264 = offered.filter((c) => c.mimeType.toLowerCase() === 'video/h264' && Number(c.parameters?.['packetization-mode']) === 1);
    return h264.find((c) => String(c.parameters?.['profile-level-id']).startsWith('42e0')) ?? h264[0];
  }
  return offered.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
}

/** Only the RTCP feedback the router does too. */
function withRouterFeedback(codec: RtpCodecCapability, router: Router): RtpCodecCapability {
  const routerCodec = router.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === codec.mimeType.toLowerCase());
  const supported = routerCodec?.rtcpFeedback ?? [];
  return { ...codec, rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => supported.some((s) => s.type === fb.type && (s.parameter ?? '') === (fb.parameter ?? ''))) };
}

function listenInfos({ announcedIp }: EngineOptions): TransportListenInfo[] {
  // Behind NAT one socket on every interface, announced at the public address.
  if (announcedIp) return [{ protocol: 'udp', ip: '0.0.0.0', announcedAddress: announcedIp }];
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  return ['127.0.0.1', ...addresses].map((ip) => ({ protocol: 'udp', ip }));
}

class MediasoupPublisher implements PublisherEndpoint {
  readonly id = randomUUID();
  private readonly caps = new Map<string, number>();
  private readonly taps = new Map<MediaKind, { consumer: Consumer; listeners: Set<RtpListener> }>();

  constructor(
    private readonly engine: MediasoupEngine,
    readonly transport: Transport,
    readonly producers: Map<MediaKind, Producer>,
  ) {}

  codecs(): TrackCodec[] {
    // What the recording tap delivers: the router's payload types (see onRtp).
    return [...this.producers.entries()].flatMap(([kind, producer]) => {
      const mimeType = producer.rtpParameters.codecs[0]!.mimeType;
      const routerCodec = this.engine.home.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
      return routerCodec ? [{ kind, mimeType: routerCodec.mimeType, clockRate: routerCodec.clockRate, channels: routerCodec.channels, payloadType: routerCodec.preferredPayloadType }] : [];
    });
  }

  onRtp(kind: MediaKind, listener: RtpListener): () => void {
    const existing = this.taps.get(kind);
    if (existing) existing.listeners.add(listener);
    else {
      const producer = this.producers.get(kind);
      if (producer) {
        const tap = { consumer: undefined as unknown as Consumer, listeners: new Set([listener]) };
        this.taps.set(kind, tap);
        void this.engine.tap(producer).then(
          (consumer) => {
            if (this.taps.get(kind) !== tap) return void consumer.close();
            tap.consumer = consumer;
            consumer.on('rtp', (packet) => tap.listeners.forEach((l) => l(packet)));
            if (kind === 'video') void consumer.requestKeyFrame().catch(() => undefined);
          },
          () => this.taps.delete(kind),
        );
      }
    }
    return () => {
      const tap = this.taps.get(kind);
      if (!tap) return;
      tap.listeners.delete(listener);
      if (tap.listeners.size) return;
      this.taps.delete(kind);
      tap.consumer?.close();
    };
  }

  requestKeyFrame(): void {
    // A recording without subscribers asks through its own tap.
    const tap = this.taps.get('video')?.consumer;
    if (tap && !tap.closed) void tap.requestKeyFrame().catch(() => undefined);
    else this.engine.requestKeyFrame(this);
  }

  limitBitrate(holder: string, kbps: number): void {
    if (kbps > 0) this.caps.set(holder, kbps);
    else this.caps.delete(holder);
    // mediasoup caps the publisher with REMB at this bitrate (with transport-cc; see the README of plugins/live).
    const cap = this.caps.size ? Math.min(...this.caps.values()) * 1000 : 0;
    void this.transport.setMaxIncomingBitrate(cap).catch(() => undefined);
  }

  /** ICE-lite: mediasoup learns the client's address from its connectivity checks, trickled candidates are not needed. */
  async addIceCandidate(_candidate: IceCandidate): Promise<void> {}

  async close(): Promise<void> {
    for (const tap of this.taps.values()) tap.consumer?.close();
    this.taps.clear();
    this.transport.close();
  }
}

class MediasoupSubscriber implements SubscriberEndpoint {
  readonly id = randomUUID();
  constructor(private readonly transport: WebRtcTransport) {}

  async addIceCandidate(_candidate: IceCandidate): Promise<void> {}

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * mediasoup: one worker (a C++ process) forwards the media. Publishers land on the home router; a subscriber is
 * served by a router whose payload types are the ones its offer chose (the answer must keep the offer's payload
 * types, and a consumer sends its router's), fed from the home router through pipeToRouter.
 */
export class MediasoupEngine implements MediaEngine {
  readonly name = 'mediasoup';
  readonly mediaServer = 'kurento' as const;
  private readonly routers = new Map<string, Promise<Router>>();
  private readonly consumers = new Map<string, Set<Consumer>>();
  private direct?: Promise<DirectTransport>;
  private readonly supportedExtensions: Record<MsKind, Set<string>>;

  /** Set while a worker that died is being replaced: new endpoints wait for its successor. */
  private replacing?: Promise<void>;
  private closing = false;

  private constructor(
    private readonly workerBin: string,
    private readonly options: EngineOptions,
    private worker: Worker,
    public home: Router,
  ) {
    const supported = mediasoup.getSupportedRtpCapabilities().headerExtensions ?? [];
    this.supportedExtensions = {
      audio: new Set(supported.filter((e) => e.kind === 'audio').map((e) => e.uri)),
      video: new Set(supported.filter((e) => e.kind === 'video').map((e) => e.uri)),
    };
  }

  static async create(workerBin: string, options: EngineOptions = {}): Promise<MediasoupEngine> {
    const worker = await mediasoup.createWorker({ workerBin, logLevel: 'error' });
    const engine = new MediasoupEngine(workerBin, options, worker, await worker.createRouter({ mediaCodecs: sessionCodecs() }));
    engine.watch();
    return engine;
  }

  /** The worker process: what the OS sees (and what tests kill). */
  get workerPid(): number {
    return this.worker.pid;
  }

  /** A worker that dies takes its transports with it; a new one serves the streams published from then on. */
  private watch(): void {
    this.worker.once('died', () => {
      if (this.closing) return;
      this.routers.clear();
      this.piped.clear();
      this.adopted.clear();
      this.consumers.clear();
      this.direct = undefined;
      this.replacing = (async () => {
        this.worker = await mediasoup.createWorker({ workerBin: this.workerBin, logLevel: 'error' });
        this.home = await this.worker.createRouter({ mediaCodecs: sessionCodecs() });
        this.watch();
      })();
    });
  }

  async publish(options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: PublisherEndpoint }> {
    await this.replacing;
    const offer = parseOffer(options.sdpOffer);
    const transport = await this.webRtcTransport(this.home);
    try {
      await transport.connect({ dtlsParameters: clientDtlsParameters(offer) });
      const producers = new Map<MediaKind, Producer>();
      const answers: SectionAnswer[] = [];
      for (const section of offer.sections) {
        const kind = section.type as MediaKind;
        const chosen = chooseCodec(section, options.videoCodec);
        if (!chosen || producers.has(kind) || section.direction === 'recvonly' || section.port === 0) {
          answers.push({ rejected: true });
          continue;
        }
        const rtpParameters = producerRtpParameters(section, withRouterFeedback(chosen, this.home), this.supportedExtensions[kind]);
        producers.set(kind, await transport.produce({ kind, rtpParameters }));
        answers.push({ direction: 'recvonly', codecs: rtpParameters.codecs, extensions: rtpParameters.headerExtensions ?? [] });
      }
      return { sdpAnswer: capVideoBandwidth(writeAnswer(offer, answers, transport), options.maxVideoKbps), endpoint: new MediasoupPublisher(this, transport, producers) };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async subscribe(publisher: PublisherEndpoint, options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: SubscriberEndpoint }> {
    await this.replacing;
    const source = publisher instanceof MediasoupPublisher ? publisher : await this.adopt(publisher);
    const offer = parseOffer(options.sdpOffer);
    const capabilities = clientCapabilities(offer, new Set([...this.supportedExtensions.audio, ...this.supportedExtensions.video]));
    const router = await this.routerFor(capabilities);
    const transport = await this.webRtcTransport(router);
    try {
      await transport.connect({ dtlsParameters: clientDtlsParameters(offer) });
      const answers: SectionAnswer[] = [];
      const streamId = source.id;
      const consumed = new Set<Consumer>();
      for (const section of offer.sections) {
        const kind = section.type as MediaKind;
        const producer = source.producers.get(kind);
        if (!producer || section.direction === 'sendonly' || section.port === 0 || [...consumed].some((c) => c.kind === kind)) {
          answers.push({ rejected: true });
          continue;
        }
        const producerId = router === this.home ? producer.id : await this.pipe(producer, router);
        const sectionCapabilities: RtpCapabilities = { codecs: offeredCodecs(section), headerExtensions: capabilities.headerExtensions?.filter((e) => e.kind === kind) };
        if (!router.canConsume({ producerId, rtpCapabilities: sectionCapabilities })) {
          answers.push({ rejected: true });
          continue;
        }
        const consumer = await transport.consume({ producerId, rtpCapabilities: sectionCapabilities, enableRtx: false });
        consumed.add(consumer);
        const encoding = consumer.rtpParameters.encodings?.[0];
        answers.push({
          direction: 'sendonly',
          codecs: consumer.rtpParameters.codecs,
          extensions: consumer.rtpParameters.headerExtensions ?? [],
          send: { ssrc: encoding!.ssrc!, cname: consumer.rtpParameters.rtcp?.cname ?? streamId, streamId, trackId: consumer.id },
        });
      }
      const held = this.consumers.get(source.id) ?? new Set<Consumer>();
      this.consumers.set(source.id, held);
      for (const consumer of consumed) {
        held.add(consumer);
        consumer.observer.once('close', () => held.delete(consumer));
      }
      return { sdpAnswer: capVideoBandwidth(writeAnswer(offer, answers, transport), options.maxVideoKbps), endpoint: new MediasoupSubscriber(transport) };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  private readonly adopted = new Map<string, Promise<MediasoupPublisher>>();

  /**
   * A stream published outside the engine (an IPCAM's RTP from ffmpeg): its packets are fed into DirectTransport
   * producers, under one SSRC per kind, so subscribers consume it like any other.
   */
  private adopt(publisher: PublisherEndpoint): Promise<MediasoupPublisher> {
    let adopted = this.adopted.get(publisher.id);
    if (!adopted) {
      adopted = (async () => {
        const transport = await this.home.createDirectTransport();
        const producers = new Map<MediaKind, Producer>();
        for (const codec of publisher.codecs()) {
          const ssrc = 0x4d450000 + producers.size + 1;
          const producer = await transport.produce({
            kind: codec.kind,
            rtpParameters: {
              codecs: [{ mimeType: codec.mimeType, payloadType: codec.payloadType, clockRate: codec.clockRate, ...(codec.channels ? { channels: codec.channels } : {}) }],
              encodings: [{ ssrc }],
              rtcp: { cname: publisher.id },
            },
          });
          producers.set(codec.kind, producer);
          publisher.onRtp(codec.kind, (packet) => {
            if (producer.closed || packet.length < 12) return;
            const copy = Buffer.from(packet);
            copy.writeUInt32BE(ssrc, 8);
            producer.send(copy);
          });
        }
        return new MediasoupPublisher(this, transport, producers);
      })();
      this.adopted.set(publisher.id, adopted);
    }
    return adopted;
  }

  /** A consumer asks its producer for a key frame: any video consumer of the stream will do. */
  requestKeyFrame(publisher: MediasoupPublisher): void {
    const video = [...(this.consumers.get(publisher.id) ?? [])].find((c) => c.kind === 'video' && !c.closed);
    void video?.requestKeyFrame().catch(() => undefined);
  }

  /** The raw RTP of a producer, for the recorder: a consumer on a DirectTransport of the home router. */
  async tap(producer: Producer): Promise<Consumer> {
    this.direct ??= this.home.createDirectTransport();
    const direct = await this.direct;
    return direct.consume({ producerId: producer.id, rtpCapabilities: this.home.rtpCapabilities, enableRtx: false });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.replacing?.catch(() => undefined);
    this.worker.close();
  }

  private webRtcTransport(router: Router): Promise<WebRtcTransport> {
    return router.createWebRtcTransport({ listenInfos: listenInfos(this.options), enableUdp: true, enableTcp: false, preferUdp: true });
  }

  /** The router whose payload types are the client's; the home router when the client's collide. */
  private async routerFor(capabilities: RtpCapabilities): Promise<Router> {
    const payloadTypes: Record<string, number> = {};
    for (const codec of capabilities.codecs ?? []) {
      const mime = codec.mimeType.toLowerCase();
      if (mime === 'audio/opus' || mime === 'video/vp8' || (mime === 'video/h264' && Number(codec.parameters?.['packetization-mode']) === 1)) payloadTypes[mime] ??= codec.preferredPayloadType!;
    }
    const key = Object.entries(payloadTypes)
      .sort()
      .map(([mime, pt]) => `${mime}=${pt}`)
      .join(',');
    if (new Set(Object.values(payloadTypes)).size !== Object.keys(payloadTypes).length) return this.home;
    const homeKey = (this.home.rtpCapabilities.codecs ?? []).filter((c) => payloadTypes[c.mimeType.toLowerCase()] === c.preferredPayloadType).length === Object.keys(payloadTypes).length;
    if (homeKey) return this.home;
    let router = this.routers.get(key);
    if (!router) {
      router = this.worker.createRouter({ mediaCodecs: sessionCodecs(payloadTypes) }).catch(() => this.home);
      this.routers.set(key, router);
    }
    return router;
  }

  private readonly piped = new Map<string, Promise<string>>();

  /** The home router's producer in another router of the same worker (once per router). */
  private pipe(producer: Producer, router: Router): Promise<string> {
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
}
