import { expect } from 'chai';
import { publishConfigSchema } from '../config.js';
import { ladderFor } from './ladder.js';

const { qualities } = publishConfigSchema.parse({});

describe('ladderFor', () => {
  it('keeps every quality up to the source height, highest first, with even widths at the source aspect', () => {
    expect(ladderFor({ width: 1920, height: 1080 }, qualities).map((r) => `${r.name} ${r.width}x${r.height}`)).to.deep.equal([
      '1080p 1920x1080',
      '720p 1280x720',
      '480p 854x480',
      '360p 640x360',
    ]);
  });

  it('never upscales', () => {
    expect(ladderFor({ width: 1280, height: 720 }, qualities).map((r) => r.name)).to.deep.equal(['720p', '480p', '360p']);
    expect(ladderFor({ width: 1000, height: 500 }, qualities).map((r) => r.name)).to.deep.equal(['480p', '360p']);
  });

  it('gives a source smaller than every quality one rendition at its own size', () => {
    const [only, ...rest] = ladderFor({ width: 320, height: 241 }, qualities);
    expect(rest).to.deep.equal([]);
    expect(only).to.include({ name: '242p', height: 242, width: 322 });
    expect(only!.videoBitrateKbps).to.be.below(800);
  });

  it('handles portrait sources', () => {
    expect(ladderFor({ width: 1080, height: 1920 }, qualities)[0]).to.include({ name: '1080p', width: 608, height: 1080 });
  });
});
