import { BadRequestError } from '@mediahost/core';
import type { MediaType } from '../models/mediaFile.js';
import type { TextElement, Track } from '../models/timelineSchema.js';

export interface LayoutFile {
  id: number;
  type: MediaType;
  durationMs: number;
  hasAudio: boolean;
}

/** Images last this long when a clip names no out point. */
export const DEFAULT_IMAGE_MS = 5000;

export type VideoSegment =
  | { kind: 'clip'; file: LayoutFile; in: number; length: number; volume: number; transition?: { type: string; duration: number } }
  | { kind: 'gap'; length: number };

export interface AudioPlacement {
  file: LayoutFile;
  in: number;
  length: number;
  start: number;
  volume: number;
}

/** A timeline resolved against its files: what the renderer draws, and how long it lasts. */
export interface Layout {
  video: VideoSegment[];
  audio: AudioPlacement[];
  texts: TextElement[];
  durationMs: number;
}

function span(clip: { fileId: number; in: number; out?: number }, file: LayoutFile | undefined, where: string): { in: number; length: number; file: LayoutFile } {
  if (!file) throw new BadRequestError(`${where}: file ${clip.fileId} not found`);
  const end = clip.out ?? (file.type === 'image' ? clip.in + DEFAULT_IMAGE_MS : file.durationMs);
  if (file.type !== 'image' && end > file.durationMs) throw new BadRequestError(`${where}: out point ${end} ms is past the end of file ${file.id} (${file.durationMs} ms)`);
  if (end <= clip.in) throw new BadRequestError(`${where}: the out point must come after the in point`);
  return { in: clip.in, length: end - clip.in, file };
}

/**
 * Lays a timeline out. The video track plays its clips one after the other in their order, a start later than
 * the end of the clip before leaving a black gap, and a transition overlapping a clip with the one before it.
 * Audio clips play at their start, over the video's sound; texts show from start for duration.
 */
export function layOut(tracks: Track[], files: Map<number, LayoutFile>): Layout {
  const videoTracks = tracks.filter((t) => t.type === 'video');
  if (videoTracks.length > 1) throw new BadRequestError('A timeline has at most one video track');
  const video: VideoSegment[] = [];
  let cursor = 0;
  for (const [index, clip] of (videoTracks[0]?.clips ?? []).entries()) {
    const where = `video clip ${index}`;
    const { file, ...part } = span(clip, files.get(clip.fileId), where);
    if (file.type === 'audio') throw new BadRequestError(`${where}: file ${file.id} has no picture`);
    const previous = video.at(-1);
    if (clip.transition) {
      if (previous?.kind !== 'clip') throw new BadRequestError(`${where}: a transition needs a clip right before it`);
      if (clip.transition.duration >= Math.min(previous.length, part.length)) throw new BadRequestError(`${where}: the transition is longer than a clip it joins`);
      cursor -= clip.transition.duration;
    } else if (clip.start !== undefined && clip.start > cursor) {
      video.push({ kind: 'gap', length: clip.start - cursor });
      cursor = clip.start;
    } else if (clip.start !== undefined && clip.start < cursor) {
      throw new BadRequestError(`${where}: it starts at ${clip.start} ms, before the clip before it ends (${cursor} ms); video clips overlap only through a transition`);
    }
    video.push({ kind: 'clip', file, ...part, volume: clip.volume, ...(clip.transition ? { transition: clip.transition } : {}) });
    cursor += part.length;
  }

  const audio: AudioPlacement[] = [];
  const texts: TextElement[] = [];
  let end = cursor;
  for (const track of tracks) {
    if (track.type === 'audio') {
      track.clips.forEach((clip, index) => {
        const where = `audio clip ${index}`;
        const placed = span(clip, files.get(clip.fileId), where);
        if (!placed.file.hasAudio) throw new BadRequestError(`${where}: file ${placed.file.id} has no sound`);
        const start = clip.start ?? 0;
        audio.push({ ...placed, start, volume: clip.volume });
        end = Math.max(end, start + placed.length);
      });
    } else if (track.type === 'text') {
      for (const text of track.texts) {
        texts.push(text);
        end = Math.max(end, text.start + text.duration);
      }
    }
  }
  return { video, audio, texts, durationMs: end };
}

/** The file ids a timeline uses. */
export const fileIdsOf = (tracks: Track[]) => [...new Set(tracks.flatMap((t) => (t.type === 'text' ? [] : t.clips.map((c) => c.fileId))))];
