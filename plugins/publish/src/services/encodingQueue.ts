import type { Quality } from '../config.js';
import type { PendingEncoding } from '../models/storageChanges.js';
import { ladderFor } from './ladder.js';

/** VideoCMS's queue counts: qualities, audio tracks and subtitle tracks not yet made. */
export interface EncodingQueueCounts {
  qualities: number;
  audios: number;
  subtitles: number;
}

/** The queue of the files being transcoded: each makes its ladder of qualities and one encode per track. */
export function encodingQueueOf(files: PendingEncoding[], qualities: Quality[]): EncodingQueueCounts {
  const counts: EncodingQueueCounts = { qualities: 0, audios: 0, subtitles: 0 };
  for (const file of files) {
    counts.qualities += ladderFor(file, qualities).length;
    counts.audios += file.audios;
    counts.subtitles += file.subtitles;
  }
  return counts;
}
