import { NotMediaError, type FfmpegCommand, type MediaLimits, type MediaToolchain } from '@mediahost/core';
import type { MediaType } from '../models/mediaFile.js';

/** The editor's ffmpeg commands and how it reads a file, on the core's media toolchain. */

export interface MediaProbe {
  type: MediaType;
  mimetype: string;
  durationMs: number;
  width: number;
  height: number;
  hasAudio: boolean;
}

const IMAGE_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp', 'tiff', 'jpegls']);
const MIME: Record<string, string> = { mjpeg: 'image/jpeg', png: 'image/png', bmp: 'image/bmp', gif: 'image/gif', webp: 'image/webp', tiff: 'image/tiff' };

function mimetypeOf(type: MediaType, formatName: string, codec: string): string {
  if (type === 'image') return MIME[codec] ?? 'image/*';
  const format = formatName.split(',')[0]!;
  if (type === 'audio') return { mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', flac: 'audio/flac', mov: 'audio/mp4' }[format] ?? 'audio/*';
  return { mov: 'video/mp4', matroska: 'video/x-matroska', avi: 'video/x-msvideo', mpegts: 'video/mp2t', webm: 'video/webm' }[format] ?? 'video/*';
}

/** A picture, a sound or a video: what the editor can place on a timeline. A user's file is read as plain data within `limits`. */
export async function probeMedia(media: MediaToolchain, file: string, options: { limits?: MediaLimits; trusted?: boolean } = {}): Promise<MediaProbe> {
  const probed = await media.probe(file, options);
  const picture = probed.streams.find((s) => s.type === 'video' && !s.attachedPicture);
  const hasAudio = probed.streams.some((s) => s.type === 'audio');
  const durationMs = Math.round((probed.durationSeconds || picture?.durationSeconds || 0) * 1000);
  const formatName = probed.formatName;
  const stillImage = picture && IMAGE_CODECS.has(picture.codec) && (formatName.includes('image2') || formatName.endsWith('_pipe') || !(durationMs > 0));
  const type: MediaType | undefined = picture ? (stillImage ? 'image' : 'video') : hasAudio ? 'audio' : undefined;
  if (!type) throw new NotMediaError('no picture or sound found');
  if (type !== 'image' && !(durationMs > 0)) throw new NotMediaError('its duration is unknown or zero');
  return {
    type,
    mimetype: mimetypeOf(type, formatName, picture?.codec ?? ''),
    durationMs: type === 'image' ? 0 : durationMs,
    width: picture?.width ?? 0,
    height: picture?.height ?? 0,
    hasAudio: type !== 'image' && hasAudio,
  };
}

/**
 * The editing proxy, as the reference's command: H.264 high 4.0 fitted in 480x272 (aspect kept), 25 fps,
 * 600 kb/s, a keyframe every 10 frames and no B-frames for scrubbing, no metadata, AAC 96 kb/s stereo at 44.1 kHz.
 */
export function proxyCommand(media: MediaToolchain, input: string, output: string, preset: string, hasAudio: boolean): FfmpegCommand {
  return media
    .command(input)
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
export function exportCommand(
  media: MediaToolchain,
  graph: { inputs: { path: string; options: string[] }[]; filter: string; video: string; audio: string },
  output: string,
  durationMs: number,
  settings: { preset: string; videoBitrateKbps: number; fps: number },
): FfmpegCommand {
  const command = media.command();
  for (const input of graph.inputs) media.addInput(command, input.path, { options: input.options });
  return command
    .complexFilter(graph.filter)
    .output(output)
    .outputOptions([
      `-map ${graph.video}`, `-map ${graph.audio}`,
      '-c:v libx264', `-preset ${settings.preset}`, `-b:v ${settings.videoBitrateKbps}k`, '-pix_fmt yuv420p', `-r ${settings.fps}`,
      '-c:a aac', '-b:a 128k', '-ar 48000', '-ac 2',
      `-t ${(durationMs / 1000).toFixed(3)}`, '-movflags +faststart', '-f mp4',
    ]);
}
