import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

function onPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * ffmpeg and ffprobe as configured (serverConf.json `ffmpegPath`/`ffprobePath`), else found on PATH.
 * A binary that cannot be found is reported by its bare name, so the capability check names what is missing.
 */
export function locateMediaBinaries(conf: { ffmpegPath?: string; ffprobePath?: string } = {}, searchPath = process.env.PATH ?? ''): { ffmpeg?: string; ffprobe?: string } {
  return {
    ffmpeg: conf.ffmpegPath ?? onPath('ffmpeg', searchPath),
    ffprobe: conf.ffprobePath ?? onPath('ffprobe', searchPath),
  };
}
