/**
 * Demuxers that read one plain file and nothing else. Playlists and manifests (hls, dash, concat, ffconcat,
 * webm_dash_manifest), and anything that opens other files or URLs by name are
 * left out: a user's file is data, never a list of other files to read.
 */
export const PLAIN_CONTAINERS = [
  'mov', 'matroska', 'avi', 'mpegts', 'flv', 'asf', 'mpeg', 'mpegvideo', 'mxf', 'dv', 'ogg', 'wav', 'aiff', 'w64',
  'mp3', 'flac', 'aac', 'ac3', 'eac3', 'h264', 'hevc', 'm4v', 'ivf', 'gif', 'png_pipe', 'jpeg_pipe', 'bmp_pipe',
  'webp_pipe', 'tiff_pipe',
  // One still image by its extension: the platform never stores a file under a name with a %d sequence pattern.
  'image2',
];

/** ffmpeg/ffprobe input options for a file a user gave: only the file protocol, only plain containers. */
export const UNTRUSTED_INPUT_OPTIONS: readonly string[] = ['-protocol_whitelist', 'file', '-format_whitelist', PLAIN_CONTAINERS.join(',')];
