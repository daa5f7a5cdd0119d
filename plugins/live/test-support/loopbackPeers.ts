import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useTransportWideCC } from 'werift';
import type { MediaEngine, PublisherEndpoint, SubscriberEndpoint } from '../src/media/mediaEngine.js';

/**
 * Browser stand-ins made of werift peer connections, to drive any MediaEngine without a browser:
 * the engine conformance suite uses them (the live bench has its own, in another process: benchPeersProcess.ts).
 */

const codecs = {
  audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
  video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'transport-cc' }] })],
};

function clientPeer(): RTCPeerConnection {
  // Offers transport-cc as browsers do: mediasoup caps a publisher with REMB only on a transport-cc transport.
  return new RTCPeerConnection({ codecs, headerExtensions: { video: [useTransportWideCC()], audio: [] }, iceServers: [], iceUseIpv6: false });
}

async function waitConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.connectionState === 'connected') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`peer not connected within ${timeoutMs} ms (${pc.connectionState})`)), timeoutMs);
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

export interface LoopbackPublisher {
  endpoint: PublisherEndpoint;
  sdpAnswer: string;
  /** PLIs the engine sent back to this publisher. */
  pliCount(): number;
  /** The last REMB the engine sent, in kbps. */
  rembKbps(): number | undefined;
  /** Sends `count` video packets of `payloadBytes`, paced for `kbps`. */
  sendVideo(count: number, kbps: number, payloadBytes?: number): Promise<void>;
  close(): Promise<void>;
}

export async function loopbackPublisher(engine: MediaEngine, { maxVideoKbps = 0, timeoutMs = 15_000 } = {}): Promise<LoopbackPublisher> {
  const pc = clientPeer();
  const video = new MediaStreamTrack({ kind: 'video' });
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const videoTransceiver = pc.addTransceiver(video, { direction: 'sendonly' });
  pc.addTransceiver(audio, { direction: 'sendonly' });
  let plis = 0;
  let remb: number | undefined;
  videoTransceiver.sender.onPictureLossIndication.subscribe(() => plis++);
  // REMB read off the transport, as a browser does: one naming no SSRC (mediasoup's cap) never reaches a sender.
  const onRemb = (packet: unknown) => {
    const feedback = (packet as { feedback?: { brMantissa?: number; brExp?: number } }).feedback;
    if (feedback?.brMantissa !== undefined) remb = (feedback.brMantissa * 2 ** (feedback.brExp ?? 0)) / 1000;
  };
  await pc.setLocalDescription(await pc.createOffer());
  const { sdpAnswer, endpoint } = await engine.publish({
    sdpOffer: pc.localDescription!.sdp,
    maxVideoKbps,
    videoCodec: 'VP8',
    onIceCandidate: (candidate) => void pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined }).catch(() => undefined),
  });
  pc.onIceCandidate.subscribe((candidate) => {
    if (candidate) void endpoint.addIceCandidate({ candidate: candidate.toJSON().candidate ?? '', sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }).catch(() => undefined);
  });
  await pc.setRemoteDescription({ type: 'answer', sdp: sdpAnswer });
  videoTransceiver.sender.dtlsTransport.onRtcp.subscribe(onRemb);
  await waitConnected(pc, timeoutMs);
  let sequenceNumber = 1;
  let timestamp = 1000;
  return {
    endpoint,
    sdpAnswer,
    pliCount: () => plis,
    rembKbps: () => remb,
    async sendVideo(count, kbps, payloadBytes = 1000) {
      const intervalMs = (payloadBytes * 8) / kbps;
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const payload = Buffer.alloc(payloadBytes, i % 256);
        // A VP8 payload descriptor marking a key frame start, so depacketizers along the way accept it.
        payload[0] = 0x10;
        payload[1] = 0x00;
        video.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: sequenceNumber++ & 0xffff, timestamp: (timestamp += 3000) >>> 0, marker: true }), payload));
        const due = started + (i + 1) * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
    async close() {
      await pc.close();
    },
  };
}

export interface LoopbackSubscriber {
  endpoint: SubscriberEndpoint;
  sdpAnswer: string;
  /** Video packets received so far. */
  videoPackets(): number;
  /** ms from the subscribe call to the first video packet, once one arrived. */
  firstPacketMs(): number | undefined;
  close(): Promise<void>;
}

export async function loopbackSubscriber(engine: MediaEngine, publisher: PublisherEndpoint, { maxVideoKbps = 0, timeoutMs = 15_000 } = {}): Promise<LoopbackSubscriber> {
  const started = performance.now();
  const pc = clientPeer();
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  let packets = 0;
  let first: number | undefined;
  pc.onTrack.subscribe((track) => {
    if (track.kind !== 'video') return;
    track.onReceiveRtp.subscribe(() => {
      packets++;
      first ??= performance.now() - started;
    });
  });
  await pc.setLocalDescription(await pc.createOffer());
  const { sdpAnswer, endpoint } = await engine.subscribe(publisher, {
    sdpOffer: pc.localDescription!.sdp,
    maxVideoKbps,
    videoCodec: 'VP8',
    onIceCandidate: (candidate) => void pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined }).catch(() => undefined),
  });
  pc.onIceCandidate.subscribe((candidate) => {
    if (candidate) void endpoint.addIceCandidate({ candidate: candidate.toJSON().candidate ?? '', sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }).catch(() => undefined);
  });
  await pc.setRemoteDescription({ type: 'answer', sdp: sdpAnswer });
  await waitConnected(pc, timeoutMs);
  return {
    endpoint,
    sdpAnswer,
    videoPackets: () => packets,
    firstPacketMs: () => first,
    async close() {
      await endpoint.close();
      await pc.close();
    },
  };
}
