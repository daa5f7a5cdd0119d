import { expect } from 'chai';
import { MediaToolchain } from '@mediahost/core';
import { needsOfArguments } from '../../../../test/support/commandNeeds.js';
import { publishConfigSchema } from '../config.js';
import { ladderCommand, remuxCommands, thumbnailCommands } from '../jobs/transcode.js';
import { ladderFor } from './ladder.js';
import { PUBLISH_MEDIA_NEEDS } from './mediaNeeds.js';

describe('publish: declared media needs', () => {
  it('cover every encoder, muxer, demuxer and filter of the transcoding commands', () => {
    const media = new MediaToolchain({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });
    const config = publishConfigSchema.parse({});
    const file = {
      fps: 25,
      width: 1920,
      height: 1080,
      durationSeconds: 60,
      audio: [{ id: 'a1', index: 1, codec: 'aac', channels: 2 }],
      subtitles: [{ id: 's1', index: 2, codec: 'subrip' }],
    };
    const rungs = ladderFor(file as never, config.qualities);
    expect(rungs.length).to.be.greaterThan(1);
    const commands = [
      ladderCommand(media, config, file as never, '/work', '/work/source.mkv', rungs),
      ...thumbnailCommands(media, config, file as never, '/work', '/work/source.mkv'),
      ...rungs.flatMap((rung) => remuxCommands(media, file as never, '/work', rung)),
    ];
    for (const command of commands) {
      const used = needsOfArguments(MediaToolchain.argumentsOf(command));
      expect(PUBLISH_MEDIA_NEEDS.encoders).to.include.members(used.encoders);
      expect(PUBLISH_MEDIA_NEEDS.muxers).to.include.members(used.muxers);
      expect(PUBLISH_MEDIA_NEEDS.demuxers).to.include.members(used.demuxers);
      expect(PUBLISH_MEDIA_NEEDS.filters).to.include.members(used.filters);
    }
    const all = commands.map((command) => needsOfArguments(MediaToolchain.argumentsOf(command)));
    expect(all.flatMap((n) => n.encoders)).to.include.members(['libx264', 'aac', 'webvtt']);
    expect(all.flatMap((n) => n.filters)).to.include.members(['split', 'scale', 'setsar', 'fps']);
  });
});
