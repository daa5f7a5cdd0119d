import { expect } from 'chai';
import { RtpContinuity } from './rtpContinuity.js';

function packet(seq: number, ts: number): Buffer {
  const buffer = Buffer.alloc(20);
  buffer[0] = 0x80;
  buffer[1] = 96;
  buffer.writeUInt16BE(seq, 2);
  buffer.writeUInt32BE(ts, 4);
  buffer.writeUInt32BE(1111, 8);
  return buffer;
}
const header = (buffer: Buffer) => ({ seq: buffer.readUInt16BE(2), ts: buffer.readUInt32BE(4), ssrc: buffer.readUInt32BE(8) });

describe('RtpContinuity', () => {
  it('leaves the first source as it is', () => {
    const continuity = new RtpContinuity(90000, () => 0);
    expect(header(continuity.rewrite(packet(100, 5000)))).to.deep.equal({ seq: 100, ts: 5000, ssrc: 1111 });
    expect(header(continuity.rewrite(packet(101, 8000)))).to.deep.equal({ seq: 101, ts: 8000, ssrc: 1111 });
  });

  it('continues the sequence, and the timestamp by the time away, when a new source starts elsewhere', () => {
    let now = 1000;
    const continuity = new RtpContinuity(90000, () => now);
    continuity.rewrite(packet(65534, 4294967000));
    now += 3000;
    continuity.newSource();
    const first = header(continuity.rewrite(packet(42, 7)));
    expect(first.seq).to.equal(65535);
    expect(first.ts).to.equal((4294967000 + 3 * 90000) % 2 ** 32);
    const second = header(continuity.rewrite(packet(43, 7 + 3000)));
    expect(second.seq, 'wraps around').to.equal(0);
    expect(second.ts).to.equal((first.ts + 3000) % 2 ** 32);
  });

  it('a new source before any packet was sent changes nothing', () => {
    const continuity = new RtpContinuity(48000, () => 0);
    continuity.newSource();
    expect(header(continuity.rewrite(packet(9, 9)))).to.include({ seq: 9, ts: 9 });
  });
});
