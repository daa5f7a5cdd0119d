import type { MediaNeeds } from '@mediahost/core';

/** What the transcoding (jobs/transcode.ts) asks of ffmpeg; its test derives the same from the commands themselves. */
export const PUBLISH_MEDIA_NEEDS: MediaNeeds = {
  encoders: ['libx264', 'aac', 'webvtt', 'mjpeg'],
  muxers: ['hls', 'mp4', 'matroska', 'webvtt', 'image2'],
  demuxers: ['hls', 'webvtt', 'mov', 'matroska'],
  filters: ['split', 'null', 'scale', 'setsar', 'fps'],
  protocols: ['file'],
};
