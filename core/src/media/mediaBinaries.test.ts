import { expect } from 'chai';
import { locateMediaBinaries } from './mediaBinaries.js';

describe('locateMediaBinaries', () => {
  it('prefers the configured paths', () => {
    expect(locateMediaBinaries({ ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: '/opt/ff/ffprobe' })).to.deep.equal({ ffmpeg: '/opt/ff/ffmpeg', ffprobe: '/opt/ff/ffprobe' });
  });

  it('falls back to the binaries shipped in the npm packages when the system has none', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { ffmpeg, ffprobe } = locateMediaBinaries();
      expect(ffmpeg).to.match(/@ffmpeg-installer/);
      expect(ffprobe).to.match(/@ffprobe-installer/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
