import * as mediasoup from 'mediasoup';
import type { Consumer, MediaKind as MsKind, Producer, RtpCapabilities, RtpCodecCapability, Router } from 'mediasoup/types';
import { capVideoBandwidth } from '../bandwidth.js';
import type { EndpointOptions, EngineOptions, MediaEngine, MediaKind, OfferedSubscription, PublisherEndpoint, SubscriberEndpoint } from '../mediaEngine.js';
import { MediasoupPublisher, MediasoupSubscriber } from './mediasoupEndpoints.js';
import type { MediasoupNode } from './mediasoupNode.js';
import { MediasoupNodes } from './mediasoupNodes.js';
import { writeAnswer, writeOffer, type SectionAnswer } from './sdpAnswer.js';
import { clientCapabilities, clientDtlsParameters, offeredCodecs, parseOffer, producerRtpParameters, type OfferSection } from './sdpOffer.js';

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

/**
 * mediasoup: Workers (C++ processes, one per core) forward the media; each is a media node (mediasoupNodes.ts). A
 * stream is published on the node its session was placed on, and served to its subscribers from there.
 */
export class MediasoupEngine implements MediaEngine {
  readonly name = 'mediasoup';
  /** openvidu-browser's mediasoup flavour: simulcast from publishers, subscriptions offered by the server. */
  readonly mediaServer = 'mediasoup' as const;
  private readonly supportedExtensions: Record<MsKind, Set<string>>;
  /** IPCAM streams (published outside the engine) fed into a node, per node, until they close. */
  private readonly adopted = new Map<string, Promise<MediasoupPublisher>>();

  private constructor(readonly nodes: MediasoupNodes) {
    const supported = mediasoup.getSupportedRtpCapabilities().headerExtensions ?? [];
    this.supportedExtensions = {
      audio: new Set(supported.filter((e) => e.kind === 'audio').map((e) => e.uri)),
      video: new Set(supported.filter((e) => e.kind === 'video').map((e) => e.uri)),
    };
    nodes.on('crashed', (node) => {
      for (const key of [...this.adopted.keys()]) if (key.startsWith(`${node.id}|`)) this.adopted.delete(key);
    });
  }

  static async create(workerBin: string, options: EngineOptions = {}): Promise<MediasoupEngine> {
    const nodes = new MediasoupNodes(workerBin, options);
    await nodes.start();
    return new MediasoupEngine(nodes);
  }

  /** The node asked for, or the least loaded running one when the session was placed nowhere (tests, the bench). */
  private async node(nodeId: string | undefined): Promise<MediasoupNode> {
    await this.nodes.settled();
    const node = this.nodes.get(nodeId);
    if (node) return node;
    if (nodeId !== undefined) throw new Error(`media node ${nodeId} is gone`);
    const running = this.nodes.list().filter((n) => n.status === 'running');
    const least = running.sort((a, b) => a.load() - b.load())[0];
    if (!least) throw new Error('no running media node');
    return least;
  }

  async publish(options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: PublisherEndpoint }> {
    const node = await this.node(options.nodeId);
    const offer = parseOffer(options.sdpOffer);
    const transport = await node.webRtcTransport(node.home);
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
        const rtpParameters = producerRtpParameters(section, withRouterFeedback(chosen, node.home), this.supportedExtensions[kind]);
        producers.set(kind, await transport.produce({ kind, rtpParameters }));
        const receiveRids = rtpParameters.encodings?.flatMap((e) => (e.rid ? [e.rid] : []));
        answers.push({ direction: 'recvonly', codecs: rtpParameters.codecs, extensions: rtpParameters.headerExtensions ?? [], receiveRids });
      }
      return { sdpAnswer: capVideoBandwidth(writeAnswer(offer, answers, transport), options.maxVideoKbps), endpoint: new MediasoupPublisher(node, transport, producers) };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async subscribe(publisher: PublisherEndpoint, options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: SubscriberEndpoint }> {
    const source = publisher instanceof MediasoupPublisher ? publisher : await this.adopt(publisher, await this.node(options.nodeId));
    const node = source.node;
    if (node.worker.closed) throw new Error(`media node ${node.id} is gone`);
    const offer = parseOffer(options.sdpOffer);
    const capabilities = clientCapabilities(offer, new Set([...this.supportedExtensions.audio, ...this.supportedExtensions.video]));
    const router = await node.routerFor(capabilities);
    const transport = await node.webRtcTransport(router);
    try {
      await transport.connect({ dtlsParameters: clientDtlsParameters(offer) });
      const answers: SectionAnswer[] = [];
      const streamId = source.id;
      const consumedKinds = new Set<MediaKind>();
      for (const section of offer.sections) {
        const kind = section.type as MediaKind;
        const producer = source.producers.get(kind);
        if (!producer || section.direction === 'sendonly' || section.port === 0 || consumedKinds.has(kind)) {
          answers.push({ rejected: true });
          continue;
        }
        const producerId = await node.pipe(producer, router);
        const sectionCapabilities: RtpCapabilities = { codecs: offeredCodecs(section), headerExtensions: capabilities.headerExtensions?.filter((e) => e.kind === kind) };
        if (!router.canConsume({ producerId, rtpCapabilities: sectionCapabilities })) {
          answers.push({ rejected: true });
          continue;
        }
        const consumer = await transport.consume({ producerId, rtpCapabilities: sectionCapabilities, enableRtx: false });
        consumedKinds.add(kind);
        node.holdConsumer(producer, consumer);
        const encoding = consumer.rtpParameters.encodings?.[0];
        answers.push({
          direction: 'sendonly',
          codecs: consumer.rtpParameters.codecs,
          extensions: consumer.rtpParameters.headerExtensions ?? [],
          send: { ssrc: encoding!.ssrc!, cname: consumer.rtpParameters.rtcp?.cname ?? streamId, streamId, trackId: consumer.id },
        });
      }
      return { sdpAnswer: capVideoBandwidth(writeAnswer(offer, answers, transport), options.maxVideoKbps), endpoint: new MediasoupSubscriber(transport) };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  /**
   * The server offers: consumers (paused) on a transport of the stream's node, in the home router's payload types,
   * which the client's answer takes as they are; they resume once its answer connected the transport.
   */
  async offerSubscription(publisher: PublisherEndpoint, options: Omit<EndpointOptions, 'sdpOffer'>): Promise<OfferedSubscription> {
    const source = publisher instanceof MediasoupPublisher ? publisher : await this.adopt(publisher, await this.node(options.nodeId));
    const node = source.node;
    if (node.worker.closed) throw new Error(`media node ${node.id} is gone`);
    const transport = await node.webRtcTransport(node.home);
    try {
      const consumers: Consumer[] = [];
      const sections: { type: MediaKind; mid: string }[] = [];
      const answers: SectionAnswer[] = [];
      for (const kind of ['audio', 'video'] as const) {
        const producer = source.producers.get(kind);
        if (!producer) continue;
        const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: node.home.rtpCapabilities, paused: true, enableRtx: false });
        node.holdConsumer(producer, consumer);
        consumers.push(consumer);
        sections.push({ type: kind, mid: consumer.rtpParameters.mid! });
        answers.push({
          direction: 'sendonly',
          codecs: consumer.rtpParameters.codecs,
          extensions: consumer.rtpParameters.headerExtensions ?? [],
          send: { ssrc: consumer.rtpParameters.encodings![0]!.ssrc!, cname: consumer.rtpParameters.rtcp?.cname ?? source.id, streamId: source.id, trackId: consumer.id },
        });
      }
      return {
        sdpOffer: capVideoBandwidth(writeOffer(sections, answers, transport), options.maxVideoKbps),
        endpoint: new MediasoupSubscriber(transport),
        accept: async (sdpAnswer) => {
          const answer = parseOffer(sdpAnswer);
          const dtlsParameters = clientDtlsParameters(answer);
          // We offered actpass: the client chose its role in its answer (browsers take active, the DTLS client).
          if ((answer.sections[0]?.setup ?? answer.sdp.setup) === 'passive') dtlsParameters.role = 'server';
          await transport.connect({ dtlsParameters });
          for (const consumer of consumers) await consumer.resume();
        },
      };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  /**
   * A stream published outside the engine (an IPCAM's RTP from ffmpeg): its packets are fed into DirectTransport
   * producers of the node, under one SSRC per kind, so subscribers consume it like any other.
   */
  private adopt(publisher: PublisherEndpoint, node: MediasoupNode): Promise<MediasoupPublisher> {
    const key = `${node.id}|${publisher.id}`;
    let adopted = this.adopted.get(key);
    if (!adopted) {
      adopted = (async () => {
        const transport = await node.home.createDirectTransport();
        const forget = () => {
          if (this.adopted.get(key) === adopted) this.adopted.delete(key);
          transport.close();
        };
        const producers = new Map<MediaKind, Producer>();
        try {
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
        } catch (error) {
          forget();
          throw error;
        }
        publisher.onClose?.(forget);
        return new MediasoupPublisher(node, transport, producers);
      })();
      this.adopted.set(key, adopted);
    }
    return adopted;
  }

  async close(): Promise<void> {
    await this.nodes.close();
  }
}
