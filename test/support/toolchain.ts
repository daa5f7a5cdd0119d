import { locateMediaBinaries } from '../../core/src/media/locateBinaries.js';
import type { MediaBinaries } from '../../core/src/media/locateBinaries.js';
import { MediaToolchain } from '@mediahost/core';

/** The ffmpeg and ffprobe the platform under test finds (the test prerequisites install them). */
export function mediaBinaries(): MediaBinaries {
  const { ffmpeg, ffprobe } = locateMediaBinaries();
  if (!ffmpeg || !ffprobe) throw new Error('the tests need ffmpeg and ffprobe on PATH (pnpm test installs them)');
  return { ffmpeg, ffprobe };
}

/** The core's media toolchain, as a plugin gets it, for unit tests. */
export function testToolchain(): MediaToolchain {
  return new MediaToolchain(mediaBinaries());
}
