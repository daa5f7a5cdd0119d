import type { MediaNeeds } from '@mediahost/core';

/** What the proxies and exports (services/mediaCommands.ts, services/renderGraph.ts) ask of ffmpeg; its test derives the same from the commands. */
export const EDITOR_MEDIA_NEEDS: MediaNeeds = {
  encoders: ['libx264', 'aac'],
  muxers: ['mp4'],
  filters: [
    'scale', 'pad', 'setsar', 'fps', 'format', 'color', 'anullsrc', 'aresample', 'aformat', 'atrim', 'tpad', 'trim',
    'setpts', 'asetpts', 'volume', 'apad=whole_dur', 'xfade', 'acrossfade', 'concat', 'drawtext', 'adelay', 'amix',
  ],
  protocols: ['file'],
};
