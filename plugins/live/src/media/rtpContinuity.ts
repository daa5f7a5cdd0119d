/**
 * Keeps one RTP stream continuous across the restarts of its source (an IP camera's ffmpeg pulled again after the
 * camera dropped): each new source starts at a random sequence number and timestamp, which subscribers' jitter
 * buffers and the recorder's demuxer would take for loss or a clock jump. Packets are rewritten in place so the
 * sequence goes on by one and the timestamp by the wall-clock time the source was away.
 */
export class RtpContinuity {
  private seqOffset = 0;
  private tsOffset = 0;
  private last?: { seq: number; ts: number; atMs: number };
  private rebase = false;

  constructor(
    private readonly clockRate: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The next packet comes from a new source: it follows the last one sent. */
  newSource(): void {
    if (this.last) this.rebase = true;
  }

  rewrite(packet: Buffer): Buffer {
    if (packet.length < 12) return packet;
    const seq = packet.readUInt16BE(2);
    const ts = packet.readUInt32BE(4);
    if (this.rebase && this.last) {
      const elapsedTicks = Math.round(((this.now() - this.last.atMs) * this.clockRate) / 1000);
      this.seqOffset = (this.last.seq + 1 - seq) & 0xffff;
      this.tsOffset = (this.last.ts + Math.max(1, elapsedTicks) - ts) >>> 0;
      this.rebase = false;
    }
    const outSeq = (seq + this.seqOffset) & 0xffff;
    const outTs = (ts + this.tsOffset) >>> 0;
    packet.writeUInt16BE(outSeq, 2);
    packet.writeUInt32BE(outTs, 4);
    this.last = { seq: outSeq, ts: outTs, atMs: this.now() };
    return packet;
  }
}
