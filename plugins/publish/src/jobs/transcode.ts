import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isTransientError, type FfmpegCommand, defineJob, jobType, type JobRun, type MediaToolchain, type Storage } from '@mediahost/core';
import type { PublishConfig } from '../config.js';
import type { FileDoc } from '../models/file.js';
import type { FileLifecycle } from '../services/fileLifecycle.js';
import { ladderFor, type Rung } from '../services/ladder.js';
import { mediaFiles, mediaLayout, MUTED_STREAM } from '../services/mediaLayout.js';
import { audioStreamPlaylist, multiMaster, mutedMaster, subtitlePlaylist, type MasterInput } from '../services/masterPlaylists.js';
import type { SharedTranscodes } from '../services/sharedTranscodes.js';

export const TRANSCODE = jobType<{ fileId: string }>('transcode');
/** One retry: ffmpeg failures are mostly deterministic; a crashed process is resumed through the job lock instead. */
export const TRANSCODE_RETRIES = 1;
const TEXT_SUBTITLES = new Set(['subrip', 'ass', 'ssa', 'webvtt', 'mov_text', 'text']);

interface Deps {
  lifecycle: FileLifecycle;
  storage: Storage;
  media: MediaToolchain;
  config: PublishConfig;
  shared: SharedTranscodes;
  onFinished(file: FileDoc): void;
}

/**
 * Reports progress to the job (which renews its lock) and to the file's encoding record, at most every second.
 * The file's writes go one at a time and `stop()` waits for the last: FerretDB rewrites the whole document on an
 * update, so a progress write landing after the final one put finished files back to "processing 99 %" for good.
 */
function progressReporter(job: JobRun<unknown>, lifecycle: FileLifecycle, fileId: string) {
  let last = 0;
  let stopped = false;
  let writing: Promise<unknown> = Promise.resolve();
  const report = (percent: number, force = false) => {
    const now = Date.now();
    if (stopped || (!force && now - last < 1000)) return;
    last = now;
    const rounded = Math.round(percent);
    void job.progress(rounded).catch(() => undefined);
    writing = writing.then(() => lifecycle.progress(fileId, rounded)).catch(() => undefined);
  };
  const stop = async () => {
    stopped = true;
    await writing;
  };
  return { report, stop };
}

type CommandFile = Pick<FileDoc, 'fps' | 'audio' | 'subtitles' | 'durationSeconds' | 'width'>;

/** One ffmpeg run for the whole ladder: the picture scaled once per rung, each audio track and text subtitle beside it. */
export function ladderCommand(media: MediaToolchain, config: PublishConfig, file: CommandFile, work: string, source: string, rungs: Rung[]): FfmpegCommand {
  const gop = Math.max(1, Math.round(file.fps * config.segmentSeconds));
  const hls = ['-f hls', `-hls_time ${config.segmentSeconds}`, '-hls_playlist_type vod', '-hls_flags independent_segments'];
  const splits = rungs.map((_, i) => `[s${i}]`).join('');
  const filters = [rungs.length > 1 ? `[0:v:0]split=${rungs.length}${splits}` : '[0:v:0]null[s0]'];
  rungs.forEach((rung, i) => filters.push(`[s${i}]scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1[v${i}]`));

  const command = media.command(source).complexFilter(filters.join(';'));
  for (const [i, rung] of rungs.entries()) {
    const kbps = rung.videoBitrateKbps;
    command.output(path.join(work, mediaFiles.videoPlaylist(rung.name))).outputOptions([
      `-map [v${i}]`, '-an', '-sn', '-c:v libx264', `-preset ${config.preset}`, '-profile:v high', '-level:v 4.1', '-pix_fmt yuv420p',
      `-b:v ${kbps}k`, `-maxrate ${Math.round(kbps * 1.07)}k`, `-bufsize ${Math.round(kbps * 1.5)}k`,
      `-g ${gop}`, `-keyint_min ${gop}`, '-sc_threshold 0', `-force_key_frames expr:gte(t,n_forced*${config.segmentSeconds})`,
      ...hls, `-hls_segment_filename ${path.join(work, rung.name, 'seg_%05d.ts')}`,
    ]);
  }
  for (const track of file.audio) {
    command.output(path.join(work, mediaFiles.audioPlaylist(track.id))).outputOptions([
      `-map 0:${track.index}`, '-vn', '-sn', '-c:a aac', `-b:a ${config.audioBitrateKbps}k`, '-ac 2',
      ...hls, `-hls_segment_filename ${path.join(work, mediaFiles.audioDir(track.id), 'seg_%05d.ts')}`,
    ]);
  }
  for (const track of file.subtitles) {
    command.output(path.join(work, mediaFiles.subtitleDir(track.id), 'subtitle.vtt')).outputOptions([`-map 0:${track.index}`, '-vn', '-an', '-c:s webvtt', '-f webvtt']);
  }
  return command;
}

/** The thumbnails strip (evenly spaced) and the poster (at 10 % of the video, at most 10 s in). */
export function thumbnailCommands(media: MediaToolchain, config: PublishConfig, file: CommandFile, work: string, source: string): FfmpegCommand[] {
  const { count, width } = config.thumbnails;
  const every = file.durationSeconds / count;
  const set = media
    .command(source)
    .output(path.join(work, mediaFiles.thumbDir, 'thumb_%03d.jpg'))
    .outputOptions(['-map 0:v:0', `-vf fps=1/${every.toFixed(3)},scale=${width}:-2`, `-frames:v ${count}`, '-q:v 4']);
  const poster = media
    .command(source)
    .seekInput(Math.min(file.durationSeconds * 0.1, 10).toFixed(3))
    .output(path.join(work, mediaFiles.poster))
    .outputOptions(['-map 0:v:0', '-frames:v 1', `-vf scale=${Math.min(file.width, 1280)}:-2`, '-q:v 3']);
  return [set, poster];
}

/**
 * Downloadable renditions of a rung, remuxed from the HLS output without re-encoding: one MP4 per audio track, one
 * MKV with every track. The playlists and WebVTT files read here are the transcoding's own output, hence trusted.
 */
export function remuxCommands(media: MediaToolchain, file: CommandFile, work: string, rung: Rung): FfmpegCommand[] {
  const video = path.join(work, mediaFiles.videoPlaylist(rung.name));
  const audioInputs = file.audio.map((track) => path.join(work, mediaFiles.audioPlaylist(track.id)));
  const commands = (file.audio.length ? file.audio : [undefined]).map((track, a) => {
    const mp4 = media.command(video, { trusted: true });
    if (track) media.addInput(mp4, audioInputs[a]!, { trusted: true });
    return mp4
      .output(path.join(work, mediaFiles.mp4(rung.name, track?.id ?? MUTED_STREAM)))
      .outputOptions(['-map 0:v:0', ...(track ? ['-map 1:a:0'] : []), '-c copy', '-movflags +faststart', '-f mp4']);
  });
  const mkv = media.command(video, { trusted: true });
  for (const input of audioInputs) media.addInput(mkv, input, { trusted: true });
  const subtitleInputs = file.subtitles.map((track) => path.join(work, mediaFiles.subtitleDir(track.id), 'subtitle.vtt'));
  for (const input of subtitleInputs) media.addInput(mkv, input, { trusted: true });
  mkv.output(path.join(work, mediaFiles.mkv(rung.name))).outputOptions([
    '-map 0:v:0',
    ...audioInputs.map((_, k) => `-map ${k + 1}:a:0`),
    ...subtitleInputs.map((_, k) => `-map ${k + 1 + audioInputs.length}:s:0`),
    '-c copy',
    '-f matroska',
  ]);
  return [...commands, mkv];
}

async function encodeLadder(deps: Deps, file: FileDoc, work: string, source: string, rungs: Rung[], report: (p: number) => void, signal: AbortSignal): Promise<void> {
  for (const rung of rungs) await mkdir(path.join(work, mediaFiles.renditionDir(rung.name)), { recursive: true });
  for (const track of file.audio) await mkdir(path.join(work, mediaFiles.audioDir(track.id)), { recursive: true });
  for (const track of file.subtitles) await mkdir(path.join(work, mediaFiles.subtitleDir(track.id)), { recursive: true });
  const command = ladderCommand(deps.media, deps.config, file, work, source, rungs);
  await deps.media.run(command, { durationSeconds: file.durationSeconds, onProgress: (p) => report(p * 0.85), signal });
}

async function makeThumbnails(deps: Deps, file: FileDoc, work: string, source: string, signal: AbortSignal): Promise<number> {
  await mkdir(path.join(work, mediaFiles.thumbDir), { recursive: true });
  for (const command of thumbnailCommands(deps.media, deps.config, file, work, source)) await deps.media.run(command, { signal });
  return (await readdir(path.join(work, mediaFiles.thumbDir))).filter((name) => name.startsWith('thumb_')).length;
}

async function remuxDownloads(deps: Deps, file: FileDoc, work: string, rungs: Rung[], report: (p: number) => void, signal: AbortSignal): Promise<void> {
  for (const [i, rung] of rungs.entries()) {
    for (const command of remuxCommands(deps.media, file, work, rung)) await deps.media.run(command, { signal });
    report(90 + ((i + 1) / rungs.length) * 9);
  }
}

async function writePlaylists(file: FileDoc, work: string, rungs: Rung[], audioBitrateKbps: number): Promise<void> {
  const trackName = (track: { title?: string; language?: string }, fallback: string) => track.title ?? track.language ?? fallback;
  const input: MasterInput = {
    rungs,
    fps: file.fps,
    audioBitrateKbps,
    audio: file.audio.map((t, i) => ({ id: t.id, name: trackName(t, `Audio ${i + 1}`), language: t.language, channels: t.channels ?? 2 })),
    subtitles: file.subtitles.map((t, i) => ({ id: t.id, name: trackName(t, `Subtitles ${i + 1}`), language: t.language })),
  };
  await writeFile(path.join(work, mediaFiles.multiMaster), multiMaster(input));
  await writeFile(path.join(work, mediaFiles.mutedMaster), mutedMaster(input));
  for (const track of file.subtitles) await writeFile(path.join(work, mediaFiles.subtitleDir(track.id), 'subtitle.m3u8'), subtitlePlaylist(file.durationSeconds));
  for (const track of file.audio) {
    const local = await readFile(path.join(work, mediaFiles.audioPlaylist(track.id)), 'utf8');
    await writeFile(path.join(work, mediaFiles.audioStreamPlaylist(track.id)), audioStreamPlaylist(local));
  }
}

/** The files waiting on this transcode get its outcome; a failure there must not turn a finished file into a failed one. */
async function settleSharers(deps: Deps, job: JobRun<unknown>, file: FileDoc): Promise<void> {
  await deps.shared.finished(file).catch((error: unknown) => job.logger.warn('could not settle the files sharing this transcode', { fileId: file._id, error }));
}

async function transcode(deps: Deps, job: JobRun<{ fileId: string }>): Promise<void> {
  const { lifecycle, storage, config } = deps;
  const { fileId } = job.data;
  const started = await lifecycle.start(fileId, job.id);
  if (!started) return;
  const file: FileDoc = { ...started, subtitles: started.subtitles.filter((t) => TEXT_SUBTITLES.has(t.codec)) };

  const { report, stop: stopReporting } = progressReporter(job, lifecycle, fileId);
  try {
    const rungs = ladderFor(file, config.qualities);
    // The source is read from a local copy (fetched on S3) and the media made in a local scratch folder; both are removed
    // whatever happens, and the media replaces what was stored only once it is whole.
    const thumbnails = await storage.withScratch(`transcode-${fileId}`, async (work) => {
      const made = await storage.useLocalCopy(mediaLayout.source(fileId, file.sourceName), async (source) => {
        await encodeLadder(deps, file, work, source, rungs, report, job.signal);
        return makeThumbnails(deps, file, work, source, job.signal);
      });
      report(90, true);
      await remuxDownloads(deps, file, work, rungs, report, job.signal);
      await writePlaylists(file, work, rungs, config.audioBitrateKbps);
      await storage.putTree(mediaLayout.media(fileId), work);
      return made;
    });
    await stopReporting();
    const ready = await lifecycle.transcoded(fileId, { subtitles: file.subtitles, renditions: rungs, thumbnails });
    if (ready) {
      await settleSharers(deps, job, ready);
      deps.onFinished(ready);
    }
  } catch (error) {
    await stopReporting();
    // A full disk, the database away or a stop say nothing of the file: the queue runs it again by itself.
    const final = !job.signal.aborted && !isTransientError(error) && job.attempt >= TRANSCODE_RETRIES;
    const message = (error as Error).message.slice(0, 4000);
    const failed = final ? await lifecycle.failed(fileId, message) : await lifecycle.attemptFailed(fileId, message);
    if (final && failed) {
      await settleSharers(deps, job, failed);
      deps.onFinished(failed);
    }
    throw error;
  }
}

export function transcodeJob(deps: Deps) {
  return defineJob(TRANSCODE, (_payload, job) => transcode(deps, job), {
    concurrency: deps.config.transcodeConcurrency,
    maxRetries: TRANSCODE_RETRIES,
    retryDelayMs: 10_000,
    lockLifetimeMs: deps.config.transcodeLockSeconds * 1000,
  });
}
