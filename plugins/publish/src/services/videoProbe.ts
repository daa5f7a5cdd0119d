import { NotMediaError, type MediaLimits, type MediaToolchain } from '@mediahost/core';

export interface ProbedTrack {
  index: number;
  codec: string;
  language?: string;
  title?: string;
}

/** What the transcoding needs to know of an uploaded file. */
export interface Probe {
  durationSeconds: number;
  formatName: string;
  video: { index: number; codec: string; width: number; height: number; fps: number };
  audio: (ProbedTrack & { channels: number })[];
  subtitles: ProbedTrack[];
}

const track = ({ index, codec, language, title }: { index: number; codec: string; language?: string; title?: string }): ProbedTrack => ({
  index,
  codec,
  ...(language ? { language } : {}),
  ...(title ? { title } : {}),
});

/** Probes a user's file as a video (plain containers only, within the limits); rejects with NotMediaError saying why not. */
export async function probeVideo(media: MediaToolchain, file: string, limits: MediaLimits): Promise<Probe> {
  const probed = await media.probe(file, { limits });
  const video = probed.streams.find((s) => s.type === 'video' && !s.attachedPicture);
  if (!video?.width || !video.height) throw new NotMediaError('not a video: no video stream found');
  const durationSeconds = probed.durationSeconds || video.durationSeconds || 0;
  if (!(durationSeconds > 0)) throw new NotMediaError('not a video: its duration is unknown or zero');
  return {
    durationSeconds,
    formatName: probed.formatName,
    video: { index: video.index, codec: video.codec, width: video.width, height: video.height, fps: video.fps || 25 },
    audio: probed.streams.filter((s) => s.type === 'audio').map((s) => ({ ...track(s), channels: s.channels ?? 2 })),
    subtitles: probed.streams.filter((s) => s.type === 'subtitle').map(track),
  };
}
