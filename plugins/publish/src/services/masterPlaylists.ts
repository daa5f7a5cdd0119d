import type { Rung } from './ladder.js';

export interface AudioTrack {
  id: string;
  name: string;
  language?: string;
  channels: number;
}

export interface SubtitleTrack {
  id: string;
  name: string;
  language?: string;
}

export interface MasterInput {
  rungs: Rung[];
  fps: number;
  audioBitrateKbps: number;
  audio: AudioTrack[];
  subtitles: SubtitleTrack[];
}

/** H.264 High profile, level 4.1, as encoded by the transcode job. */
export const VIDEO_CODEC = 'avc1.640029';
export const AUDIO_CODEC = 'mp4a.40.2';

const quote = (text: string) => `"${text.replace(/["\r\n]/g, "'")}"`;

/**
 * The multi-quality master playlist, served at /<file>/stream/multi/master.m3u8: every rendition, one audio
 * rendition per source audio track, and the WebVTT subtitle tracks. URIs are relative to that path.
 */
export function multiMaster({ rungs, fps, audioBitrateKbps, audio, subtitles }: MasterInput): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS'];
  audio.forEach((track, i) => {
    const language = track.language ? `,LANGUAGE=${quote(track.language)}` : '';
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME=${quote(track.name)}${language},DEFAULT=${i === 0 ? 'YES' : 'NO'},AUTOSELECT=YES,CHANNELS="${Math.min(track.channels, 2)}",URI=${quote(`../../${track.id}/stream/master.m3u8`)}`,
    );
  });
  for (const track of subtitles) {
    const language = track.language ? `,LANGUAGE=${quote(track.language)}` : '';
    lines.push(`#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME=${quote(track.name)}${language},DEFAULT=NO,AUTOSELECT=NO,URI=${quote(`../../${track.id}/subtitle/subtitle.m3u8`)}`);
  }
  for (const rung of rungs) {
    const bandwidth = (rung.videoBitrateKbps + (audio.length ? audioBitrateKbps : 0)) * 1000;
    const groups = `${audio.length ? ',AUDIO="audio"' : ''}${subtitles.length ? ',SUBTITLES="subs"' : ''}`;
    const codecs = audio.length ? `${VIDEO_CODEC},${AUDIO_CODEC}` : VIDEO_CODEC;
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${Math.round(bandwidth * 1.1)},AVERAGE-BANDWIDTH=${bandwidth},RESOLUTION=${rung.width}x${rung.height},FRAME-RATE=${fps.toFixed(3)},CODECS="${codecs}"${groups}`);
    lines.push(`../../${rung.name}/video.m3u8`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same renditions without sound or subtitles, served at /<file>/stream/muted/master.m3u8. */
export function mutedMaster(input: MasterInput): string {
  return multiMaster({ ...input, audio: [], subtitles: [] });
}

/** A one-segment HLS playlist around a WebVTT file, so players can offer it as a subtitle track. */
export function subtitlePlaylist(durationSeconds: number): string {
  const duration = Math.max(1, Math.ceil(durationSeconds));
  return ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${duration}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', `#EXTINF:${durationSeconds.toFixed(3)},`, 'subtitle.vtt', '#EXT-X-ENDLIST', ''].join('\n');
}

/** An audio rendition playlist as served: its segments resolve to the reference's /<file>/<audio>/audio/<segment> route. */
export function audioStreamPlaylist(local: string): string {
  return local
    .split('\n')
    .map((line) => (line && !line.startsWith('#') ? `../audio/${line}` : line))
    .join('\n');
}
