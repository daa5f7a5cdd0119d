import ffmpeg from 'fluent-ffmpeg';
import type { MediaBinaries } from './locateBinaries.js';
import { limitViolation, NotMediaError, runProbe, type MediaLimits, type ProbeResult } from './probe.js';
import { UNTRUSTED_INPUT_OPTIONS } from './untrustedInput.js';

export type FfmpegCommand = ffmpeg.FfmpegCommand;

export interface RunOptions {
  /** The length of what is produced, to turn ffmpeg's time mark into a percentage. */
  durationSeconds?: number;
  /** 0–100, as ffmpeg progresses. */
  onProgress?: (percent: number) => void;
  /** Kills ffmpeg when aborted; the run then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface ProbeOptions {
  /** A file the platform made itself: any container may be read. Default: the user's file, plain containers only. */
  trusted?: boolean;
  limits?: MediaLimits;
  timeoutMs?: number;
}

/** "HH:MM:SS.cc" → seconds. */
function timemarkSeconds(timemark: string): number {
  const [h, m, s] = timemark.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

/** ffmpeg's own last lines, which say why it failed (fluent-ffmpeg's message picks from them arbitrarily). */
function failure(error: Error, stderr: string | null | undefined): Error {
  const tail = (stderr ?? '').split('\n').filter(Boolean).slice(-6).join('\n');
  return new Error(`ffmpeg failed: ${error.message.split('\n')[0]}${tail ? `\n${tail}` : ''}`);
}

/** The one way the platform runs ffmpeg and ffprobe, located and checked by the core at start, shared by every plugin. */
export class MediaToolchain {
  constructor(readonly binaries: MediaBinaries) {}

  /**
   * A fluent-ffmpeg command on the checked binaries. An input given here is the user's unless `trusted`:
   * it is opened with the file protocol and plain containers only.
   */
  command(input?: string, { trusted = false }: { trusted?: boolean } = {}): FfmpegCommand {
    const command = ffmpeg().setFfmpegPath(this.binaries.ffmpeg).setFfprobePath(this.binaries.ffprobe);
    if (input !== undefined) this.addInput(command, input, { trusted });
    return command;
  }

  /** Adds an input to a command, with the same rule as command(). */
  addInput(command: FfmpegCommand, input: string, { trusted = false, options = [] }: { trusted?: boolean; options?: string[] } = {}): FfmpegCommand {
    return command.input(input).inputOptions([...(trusted ? [] : UNTRUSTED_INPUT_OPTIONS), ...options]);
  }

  /** Streams, duration and container of a file; rejects with NotMediaError saying why it cannot be used. */
  async probe(file: string, { trusted = false, limits, timeoutMs = 60_000 }: ProbeOptions = {}): Promise<ProbeResult> {
    const result = await runProbe(this.binaries.ffprobe, file, { untrusted: !trusted, timeoutMs });
    const violation = limits && limitViolation(result, limits);
    if (violation) throw new NotMediaError(violation);
    return result;
  }

  /** Runs a prepared command to its end; rejects with ffmpeg's last lines. */
  run(command: FfmpegCommand, { durationSeconds, onProgress, signal }: RunOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const abort = () => command.kill('SIGKILL');
      signal?.addEventListener('abort', abort, { once: true });
      const settle = (error?: Error) => {
        signal?.removeEventListener('abort', abort);
        if (signal?.aborted) reject(signal.reason as Error);
        else if (error) reject(error);
        else resolve();
      };
      command
        .on('progress', (p: { timemark?: string }) => {
          if (onProgress && p.timemark && durationSeconds && durationSeconds > 0) onProgress(Math.min(100, (timemarkSeconds(p.timemark) / durationSeconds) * 100));
        })
        .on('error', (error: Error, _stdout: string | null, stderr: string | null) => settle(failure(error, stderr)))
        .on('end', () => settle())
        .run();
    });
  }

  /** The arguments ffmpeg would be started with (for benchmarks that run the same command bare). */
  static argumentsOf(command: FfmpegCommand): string[] {
    return (command as unknown as { _getArguments(): string[] })._getArguments();
  }
}
