import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotMediaError } from '@mediahost/core';
import { makeSample } from '../../../../test/support/media.js';
import { testToolchain } from '../../../../test/support/toolchain.js';
import { probeVideo } from './videoProbe.js';

describe('probeVideo', () => {
  const limits = { maxDurationSeconds: 3600, maxWidth: 4096, maxHeight: 4096, maxFrames: 100_000 };

  it('reads the video, audio tracks with their languages, and subtitles', async () => {
    const sample = await makeSample({ seconds: 2, width: 320, height: 240, audio: ['eng', 'fra'], subtitles: true });
    const probe = await probeVideo(testToolchain(), sample, limits);
    expect(probe.video).to.include({ width: 320, height: 240, fps: 25 });
    expect(probe.durationSeconds).to.be.closeTo(2, 0.2);
    expect(probe.audio.map((a) => a.language)).to.deep.equal(['eng', 'fra']);
    expect(probe.subtitles).to.have.length(1);
  });

  it('refuses what is not a video, with the reason', async () => {
    const text = path.join(path.dirname(await makeSample({ seconds: 1 })), 'notes.mp4');
    await writeFile(text, 'these are not frames');
    const media = testToolchain();
    const error = await probeVideo(media, text, limits).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotMediaError);
    expect((error as Error).message).to.match(/^not a media file \(.+\)$/);
    const audioOnly = await makeSample({ seconds: 1, audio: ['eng'], videoless: true });
    expect(((await probeVideo(media, audioOnly, limits).catch((e: unknown) => e)) as Error).message).to.equal('not a video: no video stream found');
  });

  it('refuses a file that would cost more than the limits allow', async () => {
    const sample = await makeSample({ seconds: 3, width: 640, height: 360 });
    const media = testToolchain();
    expect(((await probeVideo(media, sample, { ...limits, maxDurationSeconds: 2 }).catch((e: unknown) => e)) as Error).message).to.match(/^too long: 3 s, the limit is 2 s$/);
    expect(((await probeVideo(media, sample, { ...limits, maxWidth: 320 }).catch((e: unknown) => e)) as Error).message).to.match(/^picture too large: 640x360/);
    expect(((await probeVideo(media, sample, { ...limits, maxFrames: 50 }).catch((e: unknown) => e)) as Error).message).to.match(/^too many frames: 7\d, the limit is 50$/);
  });
});
