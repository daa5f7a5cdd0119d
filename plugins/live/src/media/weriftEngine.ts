import { randomUUID } from 'node:crypto';
import {
  MediaStreamTrack,
  ReceiverEstimatedMaxBitrate,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpPayloadSpecificFeedback,
  type RTCRtpTransceiver,
} from 'werift';
import { capVideoBandwidth } from './bandwidth.js';
import { ProcessNodes } from './processNode.js';
import type { EndpointOptions, IceCandidate, MediaEngine, MediaKind, PublisherEndpoint, RtpListener, SubscriberEndpoint, TrackCodec } from './mediaEngine.js';

const feedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }, { type: 'ccm', parameter: 'fir' }];

function videoCodecs(codec: string): RTCRtpCodecParameters[] {
  const vp8 = new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: feedback });
  const h264 = new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, rtcpFeedback: feedback, parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1' });
  return codec === 'H264' ? [h264] : [vp8];
}

function peer(videoCodec: string): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })], video: videoCodecs(videoCodec) },
    iceServers: [],
    iceUseIpv6: false,
  });
}

function trickle(pc: RTCPeerConnection, onIceCandidate: EndpointOptions['onIceCandidate']): void {
  pc.onIceCandidate.subscribe((candidate) => {
    if (!candidate) return;
    const json = candidate.toJSON();
    onIceCandidate({ candidate: json.candidate ?? '', sdpMid: json.sdpMid, sdpMLineIndex: json.sdpMLineIndex });
  });
}

async function addCandidate(pc: RTCPeerConnection, candidate: IceCandidate): Promise<void> {
  if (!candidate.candidate) return;
  await pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined });
}

class WeriftPublisher implements PublisherEndpoint {
  readonly id = randomUUID();
  private readonly listeners = new Map<MediaKind, Set<RtpListener>>([
    ['audio', new Set()],
    ['video', new Set()],
  ]);
  private readonly received = new Map<MediaKind, { track: MediaStreamTrack; transceiver: RTCRtpTransceiver }>();
  private keyFrameTimer?: NodeJS.Timeout;
  private readonly caps = new Map<string, number>();
  private rembTimer?: NodeJS.Timeout;

  constructor(readonly pc: RTCPeerConnection) {
    pc.onTrack.subscribe((track) => {
      const kind = track.kind as MediaKind;
      const transceiver = pc.getTransceivers().find((t) => t.receiver.track === track || t.receiver.tracks?.includes(track)) ?? pc.getTransceivers().find((t) => t.kind === kind)!;
      this.received.set(kind, { track, transceiver });
      track.onReceiveRtp.subscribe((rtp) => {
        const listeners = this.listeners.get(kind)!;
        if (listeners.size === 0) return;
        const packet = rtp.serialize();
        for (const listener of listeners) listener(packet);
      });
    });
  }

  codecs(): TrackCodec[] {
    const out: TrackCodec[] = [];
    for (const [kind, { transceiver }] of this.received) {
      const codec = transceiver.codecs[0];
      if (codec) out.push({ kind, mimeType: codec.mimeType, clockRate: codec.clockRate, channels: codec.channels, payloadType: codec.payloadType! });
    }
    return out;
  }

  onRtp(kind: MediaKind, listener: RtpListener): () => void {
    this.listeners.get(kind)!.add(listener);
    this.requestKeyFrame();
    return () => this.listeners.get(kind)!.delete(listener);
  }

  requestKeyFrame(): void {
    const video = this.received.get('video');
    if (!video?.track.ssrc) return;
    // Coalesced: several subscribers joining at once need one key frame.
    if (this.keyFrameTimer) return;
    this.keyFrameTimer = setTimeout(() => (this.keyFrameTimer = undefined), 200);
    video.transceiver.receiver.sendRtcpPLI(video.track.ssrc).catch(() => undefined);
  }

  limitBitrate(holder: string, kbps: number): void {
    if (kbps > 0) this.caps.set(holder, kbps);
    else this.caps.delete(holder);
    clearInterval(this.rembTimer);
    this.rembTimer = undefined;
    if (this.caps.size === 0) return;
    this.sendRemb();
    this.rembTimer = setInterval(() => this.sendRemb(), 1000);
    this.rembTimer.unref();
  }

  /** Receiver Estimated Max Bitrate: the browser's congestion control keeps its video under it. */
  private sendRemb(): void {
    const video = this.received.get('video');
    if (!video?.track.ssrc || this.caps.size === 0) return;
    let mantissa = Math.min(...this.caps.values()) * 1000;
    let exponent = 0;
    while (mantissa >= 1 << 18) {
      mantissa = Math.floor(mantissa / 2);
      exponent++;
    }
    const remb = new ReceiverEstimatedMaxBitrate({ senderSsrc: video.transceiver.receiver.rtcpSsrc, mediaSsrc: 0, ssrcNum: 1, brExp: exponent, brMantissa: mantissa, ssrcFeedbacks: [video.track.ssrc] });
    video.transceiver.receiver.dtlsTransport.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: remb })]).catch(() => undefined);
  }

  addIceCandidate(candidate: IceCandidate): Promise<void> {
    return addCandidate(this.pc, candidate);
  }

  async close(): Promise<void> {
    clearInterval(this.rembTimer);
    clearTimeout(this.keyFrameTimer);
    for (const listeners of this.listeners.values()) listeners.clear();
    await this.pc.close();
  }
}

class WeriftSubscriber implements SubscriberEndpoint {
  readonly id = randomUUID();
  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly detach: () => void,
  ) {}

  addIceCandidate(candidate: IceCandidate): Promise<void> {
    return addCandidate(this.pc, candidate);
  }

  async close(): Promise<void> {
    this.detach();
    await this.pc.close();
  }
}

/** The embedded engine: one werift peer connection per published stream and per subscription, RTP forwarded between them. */
export class WeriftEngine implements MediaEngine {
  readonly name = 'werift';
  readonly mediaServer = 'kurento' as const;
  readonly nodes = new ProcessNodes();
  private readonly peers = new Set<RTCPeerConnection>();

  async publish(options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: PublisherEndpoint }> {
    const pc = this.track(peer(options.videoCodec));
    const endpoint = new WeriftPublisher(pc);
    trickle(pc, options.onIceCandidate);
    await pc.setRemoteDescription({ type: 'offer', sdp: options.sdpOffer });
    await pc.setLocalDescription(await pc.createAnswer());
    return { sdpAnswer: capVideoBandwidth(pc.localDescription!.sdp, options.maxVideoKbps), endpoint };
  }

  async subscribe(publisher: PublisherEndpoint, options: EndpointOptions): Promise<{ sdpAnswer: string; endpoint: SubscriberEndpoint }> {
    const source = publisher as WeriftPublisher;
    const pc = this.track(peer(options.videoCodec));
    const detachers: (() => void)[] = [];
    for (const kind of ['audio', 'video'] as const) {
      const track = new MediaStreamTrack({ kind });
      const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
      detachers.push(source.onRtp(kind, (packet) => track.writeRtp(packet)));
      if (kind === 'video') {
        transceiver.sender.onPictureLossIndication.subscribe(() => source.requestKeyFrame());
        pc.connectionStateChange.subscribe((state) => {
          if (state === 'connected') source.requestKeyFrame();
        });
      }
    }
    trickle(pc, options.onIceCandidate);
    await pc.setRemoteDescription({ type: 'offer', sdp: options.sdpOffer });
    await pc.setLocalDescription(await pc.createAnswer());
    const endpoint = new WeriftSubscriber(pc, () => detachers.forEach((detach) => detach()));
    return { sdpAnswer: capVideoBandwidth(pc.localDescription!.sdp, options.maxVideoKbps), endpoint };
  }

  async close(): Promise<void> {
    await Promise.all([...this.peers].map((pc) => pc.close().catch(() => undefined)));
    this.peers.clear();
  }

  private track(pc: RTCPeerConnection): RTCPeerConnection {
    this.peers.add(pc);
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'closed') this.peers.delete(pc);
    });
    return pc;
  }
}
