// The WebRTC peers of the live bench (werift), in their own process: one publisher sending 500 kbps of timestamped
// packets and many subscribers measuring what arrives and how late. Signalling goes to the SFU through the parent.
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useTransportWideCC } from 'werift';
import { IpcRpc } from './ipcRpc.js';

const codecs = {
  audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
  video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'transport-cc' }] })],
};
const rpc = new IpcRpc(process);
const peers = new Map<string, RTCPeerConnection>();
const now = () => performance.timeOrigin + performance.now();

function peer(id: string): RTCPeerConnection {
  const pc = new RTCPeerConnection({ codecs, headerExtensions: { video: [useTransportWideCC()], audio: [] }, iceServers: [], iceUseIpv6: false });
  pc.onIceCandidate.subscribe((c) => {
    if (c) void rpc.call('sfu:candidate', { id, candidate: { candidate: c.toJSON().candidate ?? '', sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } });
  });
  peers.set(id, pc);
  return pc;
}

async function connected(pc: RTCPeerConnection): Promise<void> {
  if (pc.connectionState === 'connected') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`peer not connected (${pc.connectionState})`)), 30_000);
    pc.connectionStateChange.subscribe((state) => state === 'connected' && (clearTimeout(timer), resolve()));
  });
}

/** Per subscriber: packets of the current window and their one-way delays (ms). */
const received = new Map<string, { packets: number; delays: number[] }>();
let video: MediaStreamTrack | undefined;
let sending = false;
/** Continued from window to window: an SFU drops packets whose numbers go back. */
let sequenceNumber = 0;

rpc
  .onEvent('candidate', ({ id, candidate }: { id: string; candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } }) => {
    void peers.get(id)?.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined }).catch(() => undefined);
  })
  .handle('publisher', async ({ id }: { id: string }) => {
    const pc = peer(id);
    video = new MediaStreamTrack({ kind: 'video' });
    pc.addTransceiver(video, { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    await pc.setRemoteDescription({ type: 'answer', sdp: await rpc.call<string>('sfu:publish', { id, sdpOffer: pc.localDescription!.sdp }) });
    await connected(pc);
  })
  .handle('subscribers', async ({ ids, publisherId }: { ids: string[]; publisherId: string }) => {
    await Promise.all(
      ids.map(async (id) => {
        const pc = peer(id);
        pc.addTransceiver('video', { direction: 'recvonly' });
        const counts = { packets: 0, delays: [] as number[] };
        received.set(id, counts);
        pc.onTrack.subscribe((track) =>
          track.onReceiveRtp.subscribe((rtp) => {
            if (rtp.payload.length < 10 || rtp.payload[1] !== 0x42) return;
            counts.packets++;
            counts.delays.push(now() - rtp.payload.readDoubleBE(2));
          }),
        );
        await pc.setLocalDescription(await pc.createOffer());
        await pc.setRemoteDescription({ type: 'answer', sdp: await rpc.call<string>('sfu:subscribe', { id, publisherId, sdpOffer: pc.localDescription!.sdp }) });
        await connected(pc);
      }),
    );
  })
  /** Sends for `seconds` at `kbps`, then reports each subscriber's packets and delays of that window. */
  .handle('window', async ({ seconds, kbps, payloadBytes }: { seconds: number; kbps: number; payloadBytes: number }) => {
    for (const counts of received.values()) Object.assign(counts, { packets: 0, delays: [] });
    const count = Math.round((kbps * 1000 * seconds) / (payloadBytes * 8));
    const intervalMs = (payloadBytes * 8) / kbps;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    sending = true;
    for (let i = 0; i < count && sending; i++) {
      const payload = Buffer.alloc(payloadBytes, i % 256);
      // A VP8 descriptor (key frame start) so the SFU forwards it; a marker byte and the send time.
      payload[0] = 0x10;
      payload[1] = 0x42;
      payload.writeDoubleBE(now(), 2);
      sequenceNumber++;
      video!.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: sequenceNumber & 0xffff, timestamp: (sequenceNumber * 3000) >>> 0, marker: true }), payload));
      const wait = started + (i + 1) * intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cpu = process.cpuUsage(cpuBefore);
    return {
      sent: count,
      peersCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - started)) * 100,
      subscribers: [...received.values()].map((c) => ({ packets: c.packets, delays: c.delays })),
    };
  })
  /** The same packets between two peers connected directly: the delay an SFU adds to. */
  .handle('direct', async ({ seconds, kbps, payloadBytes }: { seconds: number; kbps: number; payloadBytes: number }) => {
    const a = new RTCPeerConnection({ codecs, iceServers: [], iceUseIpv6: false });
    const b = new RTCPeerConnection({ codecs, iceServers: [], iceUseIpv6: false });
    const track = new MediaStreamTrack({ kind: 'video' });
    a.addTransceiver(track, { direction: 'sendonly' });
    const delays: number[] = [];
    b.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((rtp) => rtp.payload[1] === 0x42 && delays.push(now() - rtp.payload.readDoubleBE(2))));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    await Promise.all([connected(a), connected(b)]);
    const count = Math.round((kbps * 1000 * seconds) / (payloadBytes * 8));
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const payload = Buffer.alloc(payloadBytes, 0);
      payload[0] = 0x10;
      payload[1] = 0x42;
      payload.writeDoubleBE(now(), 2);
      track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: i + 1, timestamp: i * 3000, marker: true }), payload));
      const wait = started + (i + 1) * ((payloadBytes * 8) / kbps) - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all([a.close(), b.close()]);
    return delays;
  })
  /** Closes the last `count` subscribers (the bench narrows down between a step that passed and one that did not). */
  .handle('drop', async ({ count }: { count: number }) => {
    const ids = [...received.keys()].slice(-count);
    for (const id of ids) {
      received.delete(id);
      await peers.get(id)?.close().catch(() => undefined);
      peers.delete(id);
    }
    return ids;
  })
  .handle('stop', async () => {
    sending = false;
    await Promise.all([...peers.values()].map((pc) => pc.close().catch(() => undefined)));
    setImmediate(() => process.exit(0));
  });
process.send!({ rpc: 'event', name: 'ready', params: { pid: process.pid } });
