import ffmpeg from 'fluent-ffmpeg';

/** The one place the plugin talks to ffmpeg (through fluent-ffmpeg), so it can be replaced. */

export interface ProbedStream {
  index: number;
  codec: string;
  language?: string;
  title?: string;
}

export interface Probe {
  durationSeconds: number;
  formatName: string;
  video?: { index: number; codec: string; width: number; height: number; fps: number };
  audio: (ProbedStream & { channels: number })[];
  subtitles: ProbedStream[];
}

/** Raised when ffprobe finds no playable video in a file. */
export class NotMediaError extends Error {}

function fps(rate: string | undefined): number {
  const [num, den] = (rate ?? '0/1').split('/').map(Number);
  return den ? num! / den : num!;
}

export class Ffmpeg {
  constructor(readonly binaries: { ffmpeg: string; ffprobe: string }) {}

  command(input?: string): ffmpeg.FfmpegCommand {
    const command = ffmpeg(input).setFfmpegPath(this.binaries.ffmpeg).setFfprobePath(this.binaries.ffprobe);
    return command;
  }

  probe(file: string): Promise<Probe> {
    return new Promise((resolve, reject) => {
      ffmpeg.ffprobe(file, ['-v', 'error'], (error, data) => {
        if (error) {
          const reason = String((error as Error).message).split('\n').filter(Boolean).at(-1) ?? 'unreadable';
          return reject(new NotMediaError(`not a media file (${reason.replace(/^.*?: /, '')})`));
        }
        const streams = data.streams ?? [];
        const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
        if (!video?.width || !video.height) return reject(new NotMediaError('not a video: no video stream found'));
        const tag = (s: (typeof streams)[number], key: string) => (s.tags as Record<string, string> | undefined)?.[key];
        const durationSeconds = Number(data.format.duration ?? video.duration ?? 0);
        if (!(durationSeconds > 0)) return reject(new NotMediaError('not a video: its duration is unknown or zero'));
        resolve({
          durationSeconds,
          formatName: data.format.format_name ?? 'unknown',
          video: { index: video.index, codec: video.codec_name ?? 'unknown', width: video.width, height: video.height, fps: fps(video.avg_frame_rate) || fps(video.r_frame_rate) || 25 },
          audio: streams
            .filter((s) => s.codec_type === 'audio')
            .map((s) => ({ index: s.index, codec: s.codec_name ?? 'unknown', channels: s.channels ?? 2, language: tag(s, 'language'), title: tag(s, 'title') })),
          subtitles: streams
            .filter((s) => s.codec_type === 'subtitle')
            .map((s) => ({ index: s.index, codec: s.codec_name ?? 'unknown', language: tag(s, 'language'), title: tag(s, 'title') })),
        });
      });
    });
  }

  /** Runs a prepared command; progress gets 0–100 of the input's duration; rejects with ffmpeg's own last lines. */
  run(command: ffmpeg.FfmpegCommand, durationSeconds: number, progress?: (percent: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      command
        .on('progress', (p: { timemark?: string }) => {
          if (!progress || !p.timemark) return;
          const [h, m, s] = p.timemark.split(':').map(Number);
          progress(Math.min(100, ((h! * 3600 + m! * 60 + s!) / durationSeconds) * 100));
        })
        .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
          // fluent-ffmpeg's message ends with its own pick of stderr; keep its first line and ffmpeg's last lines
          const tail = (stderr ?? '').split('\n').filter(Boolean).slice(-6).join('\n');
          reject(new Error(`ffmpeg failed: ${error.message.split('\n')[0]}${tail ? `\n${tail}` : ''}`));
        })
        .on('end', () => resolve())
        .run();
    });
  }
}
