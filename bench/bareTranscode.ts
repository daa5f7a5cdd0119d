import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { mediaBinaries } from '../test/support/toolchain.js';
import { ladderFor } from '../plugins/publish/src/services/ladder.js';
import { publishConf } from './publishConf.js';

const execFileAsync = promisify(execFile);

type Run = (binary: string, args: string[]) => Promise<{ stdout: string }>;

interface SourceProbe {
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  audioIndexes: number[];
}

async function probe(run: Run, ffprobe: string, source: string): Promise<SourceProbe> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', source]);
  const { format, streams } = JSON.parse(stdout) as {
    format: { duration: string };
    streams: { index: number; codec_type: string; width?: number; height?: number; avg_frame_rate?: string }[];
  };
  const video = streams.find((s) => s.codec_type === 'video');
  if (!video?.width || !video.height) throw new Error(`${source}: no video stream`);
  const [num, den] = (video.avg_frame_rate ?? '25/1').split('/').map(Number);
  return {
    durationSeconds: Number(format.duration),
    width: video.width,
    height: video.height,
    fps: den ? num! / den : num!,
    audioIndexes: streams.filter((s) => s.codec_type === 'audio').map((s) => s.index),
  };
}

/**
 * The ffmpeg work of the publish plugin's transcode job (jobs/transcode.ts) as plain command lines, with the
 * same options in the same order: the HLS ladder and audio in one run, the thumbnails, the poster, then an MP4
 * and an MKV remuxed per rung. It writes into `work`; the wall time of this is the baseline of our transcoding.
 * Aborting `signal` kills the running command.
 */
export async function bareTranscode(source: string, work: string, signal: AbortSignal): Promise<void> {
  const run: Run = (binary, args) => execFileAsync(binary, args, { signal, maxBuffer: 64 * 1024 * 1024 });
  const { ffmpeg, ffprobe } = mediaBinaries();
  const file = await probe(run, ffprobe, source);
  const { segmentSeconds, preset, audioBitrateKbps, thumbnails } = publishConf;
  const rungs = ladderFor(file, publishConf.qualities);
  const gop = Math.max(1, Math.round(file.fps * segmentSeconds));
  const hls = ['-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments'];
  const filters = [rungs.length > 1 ? `[0:v:0]split=${rungs.length}${rungs.map((_, i) => `[s${i}]`).join('')}` : '[0:v:0]null[s0]'];
  rungs.forEach((rung, i) => filters.push(`[s${i}]scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1[v${i}]`));

  const ladder = ['-i', source, '-y', '-filter_complex', filters.join(';')];
  for (const [i, rung] of rungs.entries()) {
    await mkdir(path.join(work, rung.name), { recursive: true });
    const kbps = rung.videoBitrateKbps;
    ladder.push(
      '-map', `[v${i}]`, '-an', '-sn', '-c:v', 'libx264', '-preset', preset, '-profile:v', 'high', '-level:v', '4.1', '-pix_fmt', 'yuv420p',
      '-b:v', `${kbps}k`, '-maxrate', `${Math.round(kbps * 1.07)}k`, '-bufsize', `${Math.round(kbps * 1.5)}k`,
      '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-force_key_frames', `expr:gte(t,n_forced*${segmentSeconds})`,
      ...hls, '-hls_segment_filename', path.join(work, rung.name, 'seg_%05d.ts'), path.join(work, rung.name, 'video.m3u8'),
    );
  }
  for (const [a, index] of file.audioIndexes.entries()) {
    await mkdir(path.join(work, `audio${a}`), { recursive: true });
    ladder.push(
      '-map', `0:${index}`, '-vn', '-sn', '-c:a', 'aac', '-b:a', `${audioBitrateKbps}k`, '-ac', '2',
      ...hls, '-hls_segment_filename', path.join(work, `audio${a}`, 'seg_%05d.ts'), path.join(work, `audio${a}`, 'audio.m3u8'),
    );
  }
  await run(ffmpeg, ladder);

  await mkdir(path.join(work, 'thumbs'), { recursive: true });
  const every = file.durationSeconds / thumbnails.count;
  await run(ffmpeg, ['-i', source, '-y', '-map', '0:v:0', '-vf', `fps=1/${every.toFixed(3)},scale=${thumbnails.width}:-2`, '-frames:v', String(thumbnails.count), '-q:v', '4', path.join(work, 'thumbs', 'thumb_%03d.jpg')]);
  const posterAt = Math.min(file.durationSeconds * 0.1, 10).toFixed(3);
  await run(ffmpeg, ['-ss', posterAt, '-i', source, '-y', '-map', '0:v:0', '-frames:v', '1', '-vf', `scale=${Math.min(file.width, 1280)}:-2`, '-q:v', '3', path.join(work, 'thumbs', 'poster.jpg')]);

  const audioPlaylists = file.audioIndexes.map((_, a) => path.join(work, `audio${a}`, 'audio.m3u8'));
  for (const rung of rungs) {
    const video = path.join(work, rung.name, 'video.m3u8');
    for (const [a, audio] of (audioPlaylists.length ? audioPlaylists : [undefined]).entries()) {
      await run(ffmpeg, ['-i', video, ...(audio ? ['-i', audio] : []), '-y', '-map', '0:v:0', ...(audio ? ['-map', '1:a:0'] : []), '-c', 'copy', '-movflags', '+faststart', path.join(work, rung.name, `${a}.mp4`)]);
    }
    await run(ffmpeg, ['-i', video, ...audioPlaylists.flatMap((audio) => ['-i', audio]), '-y', '-map', '0:v:0', ...audioPlaylists.map((_, k) => ['-map', `${k + 1}:a:0`]).flat(), '-c', 'copy', path.join(work, rung.name, 'video.mkv')]);
  }
}
