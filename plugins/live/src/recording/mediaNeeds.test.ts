import { expect } from 'chai';
import { MediaToolchain } from '@mediahost/core';
import { needsOfArguments } from '../../../../test/support/commandNeeds.js';
import { LIVE_MEDIA_NEEDS, LiveFfmpeg } from './ffmpeg.js';

describe('live: declared media needs', () => {
  const ffmpeg = new LiveFfmpeg(new MediaToolchain({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' }));
  const inputs = [
    { file: '/r/a.webm', offset: 0, hasAudio: true, hasVideo: true },
    { file: '/r/b.webm', offset: 1.5, hasAudio: true, hasVideo: true },
  ];

  for (const video of [true, false]) {
    it(`cover a COMPOSED recording ${video ? 'with video' : 'of audio only'}`, () => {
      const command = ffmpeg.composeCommand(inputs, '/r/out', { width: 640, height: 480, frameRate: 25, durationSeconds: 5, audio: true, video });
      const used = needsOfArguments(MediaToolchain.argumentsOf(command));
      expect(LIVE_MEDIA_NEEDS.encoders).to.include.members(used.encoders);
      expect(LIVE_MEDIA_NEEDS.muxers).to.include.members(used.muxers);
      expect(LIVE_MEDIA_NEEDS.filters).to.include.members(used.filters);
      expect(used.encoders).to.include(video ? 'libx264' : 'libopus');
    });
  }
});
