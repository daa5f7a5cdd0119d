import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSample } from '../../../../test/support/media.js';
import { locateMediaBinaries } from '@mediahost/core';
import { Ffmpeg, NotMediaError } from './ffmpeg.js';
import { tempDir } from '../../../../test/support/tempDir.js';

describe('Ffmpeg.probe', () => {
  const ffmpeg = new Ffmpeg(locateMediaBinaries({}));

  it('reads the video, audio tracks with their languages, and subtitles', async () => {
    const sample = await makeSample({ seconds: 2, width: 320, height: 240, audio: ['eng', 'fra'], subtitles: true });
    const probe = await ffmpeg.probe(sample);
    expect(probe.video).to.include({ width: 320, height: 240, fps: 25 });
    expect(probe.durationSeconds).to.be.closeTo(2, 0.2);
    expect(probe.audio.map((a) => a.language)).to.deep.equal(['eng', 'fra']);
    expect(probe.subtitles).to.have.length(1);
  });

  it('refuses what is not a video, with the reason', async () => {
    const dir = await tempDir('probe-');
    const text = path.join(dir, 'notes.mp4');
    await writeFile(text, 'these are not frames');
    try {
      await ffmpeg.probe(text);
      expect.fail('probe should have failed');
    } catch (error) {
      expect(error).to.be.instanceOf(NotMediaError);
      expect((error as Error).message).to.match(/^not a media file \(.+\)$/);
    }
    const audioOnly = await makeSample({ seconds: 1, audio: ['eng'], videoless: true });
    try {
      await ffmpeg.probe(audioOnly);
      expect.fail('probe should have failed');
    } catch (error) {
      expect((error as Error).message).to.equal('not a video: no video stream found');
    }
  });
});
