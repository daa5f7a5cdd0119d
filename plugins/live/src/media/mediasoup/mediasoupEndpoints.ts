import { randomUUID } from 'node:crypto';
import type { Consumer, Producer, Transport, WebRtcTransport } from 'mediasoup/types';
import type { IceCandidate, MediaKind, PublisherEndpoint, RtpForward, RtpListener, SubscriberEndpoint, TrackCodec } from '../mediaEngine.js';
import type { MediasoupNode } from './mediasoupNode.js';

/** A stream published into a node: its producers (one per kind) on the node's home router. */
export class MediasoupPublisher implements PublisherEndpoint {
  readonly id = randomUUID();
  private readonly caps = new Map<string, number>();
  private readonly taps = new Map<MediaKind, { consumer?: Consumer; listeners: Set<RtpListener> }>();

  constructor(
    readonly node: MediasoupNode,
    readonly transport: Transport,
    readonly producers: Map<MediaKind, Producer>,
  ) {}

  codecs(): TrackCodec[] {
    // What the taps and forwards deliver: the home router's payload types.
    return [...this.producers.entries()].flatMap(([kind, producer]) => {
      const mimeType = producer.rtpParameters.codecs[0]!.mimeType;
      const routerCodec = this.node.home.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
      return routerCodec ? [{ kind, mimeType: routerCodec.mimeType, clockRate: routerCodec.clockRate, channels: routerCodec.channels, payloadType: routerCodec.preferredPayloadType }] : [];
    });
  }

  onRtp(kind: MediaKind, listener: RtpListener): () => void {
    const existing = this.taps.get(kind);
    if (existing) existing.listeners.add(listener);
    else {
      const producer = this.producers.get(kind);
      if (producer) {
        const tap: { consumer?: Consumer; listeners: Set<RtpListener> } = { listeners: new Set([listener]) };
        this.taps.set(kind, tap);
        void this.node.tap(producer).then(
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

  async forwardRtp(kind: MediaKind, port: number): Promise<RtpForward> {
    const producer = this.producers.get(kind);
    if (!producer) throw new Error(`the stream has no ${kind}`);
    return this.node.forward(producer, kind, port);
  }

  requestKeyFrame(): void {
    const video = this.producers.get('video');
    if (video) this.node.requestKeyFrame(video);
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

export class MediasoupSubscriber implements SubscriberEndpoint {
  readonly id = randomUUID();
  constructor(private readonly transport: WebRtcTransport) {}

  async addIceCandidate(_candidate: IceCandidate): Promise<void> {}

  async close(): Promise<void> {
    this.transport.close();
  }
}
