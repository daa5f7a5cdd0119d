import path from 'node:path';

/** Where a file's pieces live below the plugin's storage root. Every name here is generated, never taken from a request. */
export const mediaLayout = {
  fileDir: (fileId: string) => path.join('files', fileId),
  source: (fileId: string, sourceName: string) => path.join('files', fileId, sourceName),
  media: (fileId: string) => path.join('files', fileId, 'media'),
};

/** Inside a media (or work) folder. */
export const mediaFiles = {
  multiMaster: 'master.m3u8',
  mutedMaster: 'muted.m3u8',
  renditionDir: (quality: string) => quality,
  videoPlaylist: (quality: string) => path.join(quality, 'video.m3u8'),
  mp4: (quality: string, audioId: string) => path.join(quality, `${audioId}.mp4`),
  mkv: (quality: string) => path.join(quality, 'video.mkv'),
  audioDir: (audioId: string) => path.join('audio', audioId),
  /** ffmpeg's playlist, read by the remux step. */
  audioPlaylist: (audioId: string) => path.join('audio', audioId, 'audio.m3u8'),
  /** The same, served at /<file>/<audio>/stream/master.m3u8 with segments at /<file>/<audio>/audio/<segment>. */
  audioStreamPlaylist: (audioId: string) => path.join('audio', audioId, 'stream.m3u8'),
  subtitleDir: (subtitleId: string) => path.join('subtitles', subtitleId),
  thumbDir: 'thumbs',
  thumb: (n: number) => path.join('thumbs', `thumb_${String(n).padStart(3, '0')}.jpg`),
  poster: path.join('thumbs', 'poster.jpg'),
};

/** A video-only MP4 is served under this stream id when a file has no audio. */
export const MUTED_STREAM = 'muted';
