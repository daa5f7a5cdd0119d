import type { EditorPageData } from '../routes/public/editorPageData.js';

/** The timeline as the editor API reads and writes it (see models/timelineSchema.ts); times in ms. */
export interface Clip {
  fileId: number;
  in?: number;
  out?: number;
  start?: number;
  transition?: { type: string; duration: number };
}
export interface TextItem {
  text: string;
  start: number;
  duration: number;
  color?: string;
}
export interface ClipTrack {
  type: 'video' | 'audio';
  clips: Clip[];
}
export interface TextTrack {
  type: 'text';
  texts: TextItem[];
}
export type Track = ClipTrack | TextTrack;
export type MediaFile = EditorPageData['files'][number];

/** The page's data with the tracks typed: the server embeds what its own API returns. */
export type EditorData = Omit<EditorPageData, 'timeline'> & { timeline: Omit<EditorPageData['timeline'], 'tracks'> & { tracks: Track[] } };

/** The timeline being edited, shared by the page and the track editor. */
export interface EditorState {
  tracks: Track[];
}
