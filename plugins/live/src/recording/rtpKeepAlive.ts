import type dgram from 'node:dgram';

/**
 * ffmpeg ends an RTP input after 10 s without a packet on any of its RTP or RTCP ports (rtsp.c's
 * READ_PACKET_TIMEOUT_S), which would end a recording or a broadcast whose streams pause (a camera away until it is
 * pulled again). While nothing was sent for this long, each RTCP port gets an empty receiver report now and then:
 * ffmpeg reads it, ignores it, and waits on.
 */
const QUIET_MS = 2000;
/** RTCP RR with no report block: V=2, RC=0, PT=201, length 1 (two 32-bit words), then the sender's SSRC. */
const EMPTY_RECEIVER_REPORT = Buffer.from([0x80, 201, 0x00, 0x01, 0x6d, 0x68, 0x72, 0x63]);

/** Keeps ffmpeg reading RTP on `rtpPorts` (RTCP on each next port) through pauses; returns the function that stops it. */
export function keepRtpInputOpen(socket: dgram.Socket, rtpPorts: number[], lastSentAt: () => number): () => void {
  const timer = setInterval(() => {
    if (Date.now() - lastSentAt() < QUIET_MS) return;
    for (const port of rtpPorts) socket.send(EMPTY_RECEIVER_REPORT, port + 1, '127.0.0.1');
  }, QUIET_MS);
  return () => clearInterval(timer);
}
