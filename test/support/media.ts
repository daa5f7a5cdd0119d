import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { mediaBinaries } from './toolchain.js';
import { tempDir } from './tempDir.js';

const run = promisify(execFile);

export interface SampleOptions {
  seconds: number;
  width?: number;
  height?: number;
  /** One audio track per language (a sine at a different pitch each). */
  audio?: string[];
  subtitles?: boolean;
  /** Video bitrate, to make files of a given size. */
  videoKbps?: number;
  videoless?: boolean;
  /** A plain color (ffmpeg's color names) instead of the moving test pattern. */
  color?: string;
}

/** A test video made with ffmpeg's generators: the tests never depend on a media file in the repository. */
export async function makeSample({ seconds, width = 640, height = 360, audio = ['eng'], subtitles = false, videoKbps, videoless = false, color }: SampleOptions): Promise<string> {
  const dir = await tempDir('sample-');
  const output = path.join(dir, videoless ? 'sample.m4a' : 'sample.mkv');
  const args = ['-v', 'error', '-y'];
  if (!videoless) args.push('-f', 'lavfi', '-i', color ? `color=c=${color}:size=${width}x${height}:rate=25` : `testsrc2=size=${width}x${height}:rate=25`);
  audio.forEach((_, i) => args.push('-f', 'lavfi', '-i', `sine=frequency=${440 * (i + 1)}:sample_rate=48000`));
  if (subtitles) {
    const srt = path.join(dir, 'sample.srt');
    await writeFile(srt, '1\n00:00:00,500 --> 00:00:01,500\nFirst line\n\n2\n00:00:02,000 --> 00:00:03,000\nSecond line\n');
    args.push('-i', srt);
  }
  args.push('-t', String(seconds));
  let input = 0;
  if (!videoless) args.push('-map', `${input++}:v`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(videoKbps ? ['-b:v', `${videoKbps}k`] : []));
  audio.forEach((language, i) => args.push('-map', `${input++}:a`, `-metadata:s:a:${i}`, `language=${language}`));
  if (audio.length) args.push('-c:a', 'aac');
  if (subtitles) args.push('-map', `${input++}:s`, '-c:s', 'srt', '-metadata:s:s:0', 'language=eng');
  args.push(output);
  await run(mediaBinaries().ffmpeg, args);
  return output;
}
