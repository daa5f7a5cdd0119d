import { execFile } from 'node:child_process';
import { UNTRUSTED_INPUT_OPTIONS } from './untrustedInput.js';

/** Raised when ffprobe cannot read a file as media, or the file costs more work than allowed; the message says why. */
export class NotMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotMediaError';
  }
}

export interface ProbedStream {
  index: number;
  type: 'video' | 'audio' | 'subtitle' | 'data' | 'attachment';
  codec: string;
  width?: number;
  height?: number;
  /** Frames per second (average, else nominal). */
  fps?: number;
  channels?: number;
  /** A cover picture inside an audio file, not a video. */
  attachedPicture: boolean;
  durationSeconds?: number;
  language?: string;
  title?: string;
}

export interface ProbeResult {
  /** ffprobe's demuxer name, such as "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
  /** 0 when unknown. */
  durationSeconds: number;
  streams: ProbedStream[];
}

/** What one file may cost to process: a stand-in for a quota on CPU time. */
export interface MediaLimits {
  maxDurationSeconds?: number;
  maxWidth?: number;
  maxHeight?: number;
  /** Video frames (duration × frame rate). */
  maxFrames?: number;
}

interface RawStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
}

function rate(value: string | undefined): number {
  const [num, den] = (value ?? '0/1').split('/').map(Number);
  const result = den ? num! / den : num!;
  return Number.isFinite(result) ? result : 0;
}

function streamOf(raw: RawStream): ProbedStream {
  const type = (['video', 'audio', 'subtitle', 'attachment'].includes(raw.codec_type ?? '') ? raw.codec_type : 'data') as ProbedStream['type'];
  const duration = Number(raw.duration);
  return {
    index: raw.index,
    type,
    codec: raw.codec_name ?? 'unknown',
    ...(type === 'video' ? { width: raw.width ?? 0, height: raw.height ?? 0, fps: rate(raw.avg_frame_rate) || rate(raw.r_frame_rate) } : {}),
    ...(type === 'audio' ? { channels: raw.channels ?? 2 } : {}),
    attachedPicture: raw.disposition?.attached_pic === 1,
    ...(duration > 0 ? { durationSeconds: duration } : {}),
    ...(raw.tags?.language ? { language: raw.tags.language } : {}),
    ...(raw.tags?.title ? { title: raw.tags.title } : {}),
  };
}

/** The last line ffprobe wrote, without its "[demuxer @ 0x…]" or "file: " prefix. */
function reasonOf(stderr: string): string {
  const line = stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? 'unreadable';
  return line.replace(/^\[[^\]]*\]\s*/, '').replace(/^.*?: /, '');
}

export function runProbe(ffprobe: string, file: string, { untrusted, timeoutMs }: { untrusted: boolean; timeoutMs: number }): Promise<ProbeResult> {
  const args = ['-v', 'error', ...(untrusted ? UNTRUSTED_INPUT_OPTIONS : []), '-print_format', 'json', '-show_format', '-show_streams', '-i', file];
  return new Promise((resolve, reject) => {
    execFile(ffprobe, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`cannot run ffprobe at ${ffprobe}`));
        if (error.killed) return reject(new NotMediaError(`not a media file (reading it took longer than ${Math.round(timeoutMs / 1000)} s)`));
        if (/not on whitelist/i.test(stderr)) return reject(new NotMediaError('not a plain media file: playlists, manifests and file lists are refused'));
        return reject(new NotMediaError(`not a media file (${reasonOf(stderr)})`));
      }
      let data: { format?: { format_name?: string; duration?: string }; streams?: RawStream[] };
      try {
        data = JSON.parse(stdout) as typeof data;
      } catch {
        return reject(new NotMediaError('not a media file (unreadable probe)'));
      }
      const duration = Number(data.format?.duration);
      resolve({
        formatName: data.format?.format_name ?? 'unknown',
        durationSeconds: duration > 0 ? duration : 0,
        streams: (data.streams ?? []).map(streamOf),
      });
    });
  });
}

/** Why a probed file may not be processed, or undefined when it is within the limits. */
export function limitViolation(probe: ProbeResult, limits: MediaLimits): string | undefined {
  const { maxDurationSeconds, maxWidth, maxHeight, maxFrames } = limits;
  if (maxDurationSeconds && probe.durationSeconds > maxDurationSeconds) {
    return `too long: ${Math.round(probe.durationSeconds)} s, the limit is ${maxDurationSeconds} s`;
  }
  for (const stream of probe.streams.filter((s) => s.type === 'video' && !s.attachedPicture)) {
    if ((maxWidth && stream.width! > maxWidth) || (maxHeight && stream.height! > maxHeight)) {
      return `picture too large: ${stream.width}x${stream.height}, the limit is ${maxWidth ?? '∞'}x${maxHeight ?? '∞'}`;
    }
    const frames = (stream.durationSeconds ?? probe.durationSeconds) * (stream.fps ?? 0);
    if (maxFrames && frames > maxFrames) return `too many frames: ${Math.round(frames)}, the limit is ${maxFrames}`;
  }
  return undefined;
}
