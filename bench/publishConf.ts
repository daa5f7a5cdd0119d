/**
 * The publishConf.json of the publish benchmarks. The transcoding settings are spelled out, not left to the
 * plugin's defaults, because the bare ffmpeg baseline reads them from here too.
 */
export const publishConf = {
  qualities: [
    { name: '1080p', height: 1080, videoBitrateKbps: 5000 },
    { name: '720p', height: 720, videoBitrateKbps: 2800 },
    { name: '480p', height: 480, videoBitrateKbps: 1400 },
    { name: '360p', height: 360, videoBitrateKbps: 800 },
  ],
  audioBitrateKbps: 128,
  segmentSeconds: 4,
  preset: 'veryfast',
  thumbnails: { count: 10, width: 320 },
};
