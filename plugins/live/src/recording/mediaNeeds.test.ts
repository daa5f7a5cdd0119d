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

  for (const [video, layout] of [[true, 'BEST_FIT'], [true, 'PICTURE_IN_PICTURE'], [true, 'VERTICAL_PRESENTATION'], [true, 'HORIZONTAL_PRESENTATION'], [false, 'BEST_FIT']] as const) {
    it(`cover a COMPOSED recording ${video ? `with video, ${layout}` : 'of audio only'}`, () => {
      const command = ffmpeg.composeCommand(inputs, '/r/out', { width: 640, height: 480, frameRate: 25, durationSeconds: 5, audio: true, video, layout });
      const used = needsOfArguments(MediaToolchain.argumentsOf(command));
      expect(LIVE_MEDIA_NEEDS.encoders).to.include.members(used.encoders);
      expect(LIVE_MEDIA_NEEDS.muxers).to.include.members(used.muxers);
      expect(LIVE_MEDIA_NEEDS.filters).to.include.members(used.filters);
      expect(used.encoders).to.include(video ? 'libx264' : 'libopus');
    });
  }
});
