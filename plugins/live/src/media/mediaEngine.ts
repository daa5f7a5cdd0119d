/** The media side of the live plugin: the control plane (sessions, signalling, recording) only talks to this. */

import type { MediaNodes } from './mediaNode.js';

export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

export type MediaKind = 'audio' | 'video';

export interface TrackCodec {
  kind: MediaKind;
  /** "video/VP8", "audio/opus"… */
  mimeType: string;
  clockRate: number;
  channels?: number;
  payloadType: number;
}

/** RTP sent by the engine to a loopback port (RTCP to the next port). */
export interface RtpForward {
  /** The payload type of the forwarded packets (the codec's, as codecs() reports). */
  payloadType: number;
  /** The last packet forwarded, to follow it with packets of one's own (see StreamRecorder). */
  lastPacket(): { sequenceNumber: number; timestamp: number; ssrc: number } | undefined;
  close(): void;
}

/** A raw RTP packet, as received from the publisher. */
export type RtpListener = (packet: Buffer) => void;

export interface PublisherEndpoint {
  readonly id: string;
  addIceCandidate(candidate: IceCandidate): Promise<void>;
  /** The codecs negotiated for each kind the publisher sends. */
  codecs(): TrackCodec[];
  /** Taps the RTP of one kind (recording); returns the way to stop. */
  onRtp(kind: MediaKind, listener: RtpListener): () => void;
  requestKeyFrame(): void;
  /**
   * Engines that can send a kind's RTP straight to a loopback UDP port (mediasoup's PlainTransport) do, instead of
   * handing every packet to Node through onRtp: the recorders use it when it is there.
   */
  forwardRtp?(kind: MediaKind, port: number): Promise<RtpForward>;
  /** Caps what the publisher sends (REMB), at the lowest cap any holder set; 0 removes the holder's cap. */
  limitBitrate(holder: string, kbps: number): void;
  /**
   * Publishers made outside the engine (an IPCAM's RTP ingest) say when they close, so that an engine that made
   * something to serve them (mediasoup's DirectTransport producers) frees it then; called at once when already closed.
   */
  onClose?(listener: () => void): void;
  close(): Promise<void>;
}

export interface SubscriberEndpoint {
  readonly id: string;
  addIceCandidate(candidate: IceCandidate): Promise<void>;
  close(): Promise<void>;
}

export interface OfferedSubscription {
  sdpOffer: string;
  endpoint: SubscriberEndpoint;
  /** Applies the client's SDP answer: media flows from then on. */
  accept(sdpAnswer: string): Promise<void>;
}

export interface EndpointOptions {
  /** The client's SDP offer (the client always offers: openvidu-browser's Kurento flavour). */
  sdpOffer: string;
  /** Video bandwidth cap in kbps, 0 unconstrained; announced to the browser in the answer (b=AS / b=TIAS). */
  maxVideoKbps: number;
  /** VP8 or H264, the session's forcedVideoCodec. */
  videoCodec: string;
  onIceCandidate(candidate: IceCandidate): void;
  /** The media node the session was placed on (see media/mediaNode.ts); the engine's first node when absent. */
  nodeId?: string;
}

export interface MediaEngine {
  readonly name: string;
  /** What joinRoom reports as mediaServer: it picks who offers when subscribing. */
  /**
   * What joinRoom reports as mediaServer. openvidu-browser then subscribes by offering (kurento: subscribe) or by
   * answering the server's offer (mediasoup: offerSubscription), and sends simulcast layers only to mediasoup.
   */
  readonly mediaServer: 'kurento' | 'mediasoup';
  publish(options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: PublisherEndpoint }>;
  subscribe(publisher: PublisherEndpoint, options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: SubscriberEndpoint }>;
  /** A subscription the server offers (mediaServer mediasoup): its offer now, the client's answer to accept later. */
  offerSubscription?(publisher: PublisherEndpoint, options: Omit<EndpointOptions, 'sdpOffer'>): Promise<OfferedSubscription>;
  /** Where the media are forwarded: OpenVidu Pro's media nodes. */
  readonly nodes: MediaNodes;
  close(): Promise<void>;
}

/** From liveConf.json. */
export interface EngineOptions {
  /** mediasoup Workers started (media nodes); 0: one per core. */
  workers?: number;
  /** The address ICE candidates announce, behind NAT (mediasoup; werift announces its interfaces' addresses). */
  announcedIp?: string;
}

export interface EngineAvailability {
  name: string;
  available: boolean;
  /** Why it is not, when it is not. */
  reason?: string;
  create?(options?: EngineOptions): Promise<MediaEngine>;
}
