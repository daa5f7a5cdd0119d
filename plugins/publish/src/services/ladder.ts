import type { Quality } from '../config.js';

export interface Rung {
  name: string;
  width: number;
  height: number;
  videoBitrateKbps: number;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The renditions to make of a source: every configured quality up to the source's height (never upscaled);
 * a source smaller than the smallest quality gets one rendition at its own size.
 */
export function ladderFor(source: { width: number; height: number }, qualities: Quality[]): Rung[] {
  const aspect = source.width / source.height;
  const sorted = [...qualities].sort((a, b) => b.height - a.height);
  const fitting = sorted.filter((q) => q.height <= source.height);
  if (fitting.length) return fitting.map((q) => ({ name: q.name, height: q.height, width: even(q.height * aspect), videoBitrateKbps: q.videoBitrateKbps }));
  const smallest = sorted.at(-1)!;
  const height = even(source.height);
  const bitrate = Math.max(100, Math.round((smallest.videoBitrateKbps * height) / smallest.height));
  return [{ name: `${height}p`, height, width: even(height * aspect), videoBitrateKbps: bitrate }];
}
