import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/** ffmpeg and ffprobe for every plugin: the conf's, else the system's, else the binaries shipped in their npm packages. */
export function locateMediaBinaries(conf: { ffmpegPath?: string; ffprobePath?: string } = {}): MediaBinaries {
  return {
    ffmpeg: conf.ffmpegPath ?? onPath('ffmpeg') ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: conf.ffprobePath ?? onPath('ffprobe') ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}
