import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One recorded stream, as the finalizing job needs it (and as INDIVIDUAL's <name>.json describes it). */
export interface RecordedTrack {
  /** File name inside the recording's folder (INDIVIDUAL) or its .tracks folder (COMPOSED). */
  name: string;
  connectionId: string;
  streamId: string;
  clientData: string;
  serverData: string;
  hasAudio: boolean;
  hasVideo: boolean;
  typeOfVideo?: string;
  /** COMPOSED only: when the stream was published, which orders the layout (the first published is the presenter). */
  publishedAt?: number;
  /** Milliseconds from the start of the recording. */
  startTimeOffset: number;
  endTimeOffset: number;
}

const MANIFEST = '.tracks.json';

export async function writeManifest(dir: string, tracks: RecordedTrack[]): Promise<void> {
  await writeFile(path.join(dir, MANIFEST), JSON.stringify(tracks, null, 2));
}

export async function readManifest(dir: string): Promise<RecordedTrack[]> {
  try {
    return JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as RecordedTrack[];
  } catch {
    return [];
  }
}
