import { expect } from 'chai';
import { layOut, type LayoutFile } from './timelineLayout.js';
import { timelineInputSchema } from '../models/timelineSchema.js';

const files = new Map<number, LayoutFile>([
  [1, { id: 1, type: 'video', durationMs: 4000, hasAudio: true }],
  [2, { id: 2, type: 'image', durationMs: 0, hasAudio: false }],
  [3, { id: 3, type: 'audio', durationMs: 3000, hasAudio: true }],
]);
const tracks = (input: unknown) => timelineInputSchema.parse({ title: 't', tracks: input }).tracks;

describe('editor: timeline layout', () => {
  it('plays video clips one after another, leaves gaps, and overlaps clips by their transition', () => {
    const layout = layOut(
      tracks([{ type: 'video', clips: [{ fileId: 1, in: 1000, out: 3000 }, { fileId: 2, start: 2500 }, { fileId: 1, transition: { type: 'fade', duration: 500 } }] }]),
      files,
    );
    expect(layout.video.map((s) => s.length)).to.deep.equal([2000, 500, 5000, 4000]);
    expect(layout.video[1]!.kind).to.equal('gap');
    // 2000 + 500 gap + 5000 image + 4000 - 500 overlap
    expect(layout.durationMs).to.equal(11000);
  });

  it('ends with the last audio clip or text when they outlast the video', () => {
    const layout = layOut(
      tracks([
        { type: 'video', clips: [{ fileId: 1 }] },
        { type: 'audio', clips: [{ fileId: 3, start: 2000 }] },
        { type: 'text', texts: [{ text: 'Hello', start: 0, duration: 6000 }] },
      ]),
      files,
    );
    expect(layout.audio[0]).to.include({ start: 2000, length: 3000 });
    expect(layout.durationMs).to.equal(6000);
  });

  it('refuses out points past the file, unknown files, soundless audio clips, transitions without a clip before and a second video track', () => {
    expect(() => layOut(tracks([{ type: 'video', clips: [{ fileId: 1, out: 5000 }] }]), files)).to.throw(/past the end/);
    expect(() => layOut(tracks([{ type: 'video', clips: [{ fileId: 9 }] }]), files)).to.throw(/not found/);
    expect(() => layOut(tracks([{ type: 'audio', clips: [{ fileId: 2 }] }]), files)).to.throw(/no sound/);
    expect(() => layOut(tracks([{ type: 'video', clips: [{ fileId: 1, transition: { type: 'fade', duration: 500 } }] }]), files)).to.throw(/transition/);
    expect(() => layOut(tracks([{ type: 'video', clips: [{ fileId: 1 }, { fileId: 1, transition: { type: 'fade', duration: 4000 } }] }]), files)).to.throw(/longer/);
    expect(() => layOut(tracks([{ type: 'video', clips: [] }, { type: 'video', clips: [] }]), files)).to.throw(/one video track/);
    expect(() => layOut(tracks([{ type: 'video', clips: [{ fileId: 1 }, { fileId: 1, start: 1000 }] }]), files)).to.throw(/overlap/);
  });
});
