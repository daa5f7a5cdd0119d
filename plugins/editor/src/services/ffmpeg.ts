import ffmpeg from 'fluent-ffmpeg';
import type { MediaType } from '../models/mediaFile.js';

/** The one place the editor talks to ffmpeg (through fluent-ffmpeg), so it can be replaced. */

export interface MediaProbe {
  type: MediaType;
  mimetype: string;
  durationMs: number;
  width: number;
  height: number;
  hasAudio: boolean;
}

/** Raised when ffprobe finds neither a picture nor a sound in a file. */
export class NotMediaError extends Error {}

const IMAGE_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp', 'tiff', 'jpegls']);
const MIME: Record<string, string> = { mjpeg: 'image/jpeg', png: 'image/png', bmp: 'image/bmp', gif: 'image/gif', webp: 'image/webp', tiff: 'image/tiff' };

function mimetypeOf(type: MediaType, formatName: string, codec: string): string {
  if (type === 'image') return MIME[codec] ?? 'image/*';
  const format = formatName.split(',')[0]!;
  if (type === 'audio') return { mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', flac: 'audio/flac', mov: 'audio/mp4' }[format] ?? 'audio/*';
  return { mov: 'video/mp4', matroska: 'video/x-matroska', avi: 'video/x-msvideo', mpegts: 'video/mp2t', webm: 'video/webm' }[format] ?? 'video/*';
}

/** The fluent-ffmpeg progress event's timemark (HH:MM:SS.cc) in seconds. */
function seconds(timemark: string): number {
  const [h, m, s] = timemark.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
}

export class Ffmpeg {
  constructor(readonly binaries: { ffmpeg: string; ffprobe: string }) {}

  command(input?: string): ffmpeg.FfmpegCommand {
    return ffmpeg(input).setFfmpegPath(this.binaries.ffmpeg).setFfprobePath(this.binaries.ffprobe);
  }

  probe(file: string): Promise<MediaProbe> {
    return new Promise((resolve, reject) => {
      ffmpeg.ffprobe(file, ['-v', 'error'], (error, data) => {
        if (error) return reject(new NotMediaError('not a media file'));
        const streams = data.streams ?? [];
        const formatName = data.format.format_name ?? '';
        const picture = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
        const hasAudio = streams.some((s) => s.codec_type === 'audio');
        const durationMs = Math.round(Number(data.format.duration ?? picture?.duration ?? 0) * 1000) || 0;
        const stillImage = picture && (IMAGE_CODECS.has(picture.codec_name ?? '') && (formatName.includes('image2') || formatName.endsWith('_pipe') || !(durationMs > 0)));
        const type: MediaType | undefined = picture ? (stillImage ? 'image' : 'video') : hasAudio ? 'audio' : undefined;
        if (!type) return reject(new NotMediaError('no picture or sound found'));
        if (type !== 'image' && !(durationMs > 0)) return reject(new NotMediaError('its duration is unknown or zero'));
        resolve({
          type,
          mimetype: mimetypeOf(type, formatName, picture?.codec_name ?? ''),
          durationMs: type === 'image' ? 0 : durationMs,
          width: picture?.width ?? 0,
          height: picture?.height ?? 0,
          hasAudio: type !== 'image' && hasAudio,
        });
      });
    });
  }

  /**
   * The editing proxy, as the reference's command: H.264 high 4.0 fitted in 480x272 (aspect kept), 25 fps,
   * 600 kb/s, a keyframe every 10 frames and no B-frames for scrubbing, no metadata, AAC 96 kb/s stereo at 44.1 kHz.
   */
  proxyCommand(input: string, output: string, preset: string, hasAudio: boolean): ffmpeg.FfmpegCommand {
    return this.command(input)
      .output(output)
      .outputOptions([
        '-map 0:v:0', ...(hasAudio ? ['-map 0:a:0'] : []),
        '-vf scale=480:272:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1',
        '-c:v libx264', `-preset ${preset}`, '-profile:v high', '-level 4.0', '-pix_fmt yuv420p',
        '-r 25', '-b:v 600k', '-bf 0', '-g 10', '-keyint_min 10',
        '-map_metadata -1', '-movflags +faststart',
        ...(hasAudio ? ['-c:a aac', '-ar 44100', '-b:a 96k', '-ac 2'] : []),
        '-f mp4',
      ]);
  }

  /** An export: the render graph's picture and sound encoded to an MP4 that starts playing before it is all downloaded. */
  exportCommand(graph: { inputs: { path: string; options: string[] }[]; filter: string; video: string; audio: string }, output: string, durationMs: number, settings: { preset: string; videoBitrateKbps: number; fps: number }): ffmpeg.FfmpegCommand {
    const command = this.command();
    for (const input of graph.inputs) command.input(input.path).inputOptions(input.options);
    return command
      .complexFilter(graph.filter)
      .output(output)
      .outputOptions([
        `-map ${graph.video}`, `-map ${graph.audio}`,
        '-c:v libx264', `-preset ${settings.preset}`, `-b:v ${settings.videoBitrateKbps}k`, '-pix_fmt yuv420p', `-r ${settings.fps}`,
        '-c:a aac', '-b:a 128k', '-ar 48000', '-ac 2',
        `-t ${(durationMs / 1000).toFixed(3)}`, '-movflags +faststart',
      ]);
  }

  /** The arguments ffmpeg would be started with (for benchmarks that run the same command bare). */
  static argumentsOf(command: ffmpeg.FfmpegCommand): string[] {
    return (command as unknown as { _getArguments(): string[] })._getArguments();
  }

  /** Runs a prepared command; progress gets 0–100 of `durationMs`; rejects with ffmpeg's last lines. */
  run(command: ffmpeg.FfmpegCommand, durationMs: number, progress?: (percent: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      command
        .on('progress', (p: { timemark?: string }) => {
          if (progress && p.timemark && durationMs > 0) progress(Math.min(100, (seconds(p.timemark) * 100_000) / durationMs));
        })
        .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
          const tail = (stderr ?? '').split('\n').filter(Boolean).slice(-6).join('\n');
          reject(new Error(`ffmpeg failed: ${error.message.split('\n')[0]}${tail ? `\n${tail}` : ''}`));
        })
        .on('end', () => resolve())
        .run();
    });
  }
}
