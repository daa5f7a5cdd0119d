import type { LAYOUTS } from '../openvidu/bodies.js';

export type RecordingLayout = (typeof LAYOUTS)[number];

/** Where one video goes on the canvas; even numbers, as yuv420p needs. */
export interface Cell {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** CUSTOM layouts are web pages OpenVidu renders in a browser; this server composes with ffmpeg only. */
export const CUSTOM_LAYOUT_UNSUPPORTED = 'The CUSTOM recording layout is not supported by this server: use BEST_FIT, PICTURE_IN_PICTURE, VERTICAL_PRESENTATION or HORIZONTAL_PRESENTATION';

const even = (value: number) => Math.max(2, Math.floor(value / 2) * 2);

/** The presenter's share of the canvas in the PRESENTATION layouts; the others share the rest. */
const PRESENTER_SHARE = 0.8;
/** The small video of PICTURE_IN_PICTURE: a quarter of each side, off the corner by a margin. */
const INSET_SHARE = 0.25;

/**
 * The cells of OpenVidu's COMPOSED layouts for `count` videos in publish order, drawn in that order (later ones on
 * top). The first video is the presenter: alone on the canvas in PICTURE_IN_PICTURE (the second one inset at the
 * bottom right), on top in VERTICAL_PRESENTATION (the others in a row below it), on the left in
 * HORIZONTAL_PRESENTATION (the others in a column on its right). BEST_FIT is an even grid. CUSTOM is refused when a
 * recording or broadcast is started; a session whose default it is gets BEST_FIT for its automatic recordings.
 */
export function layoutCells(layout: RecordingLayout, count: number, width: number, height: number): Cell[] {
  if (count === 0) return [];
  if (count === 1 && layout !== 'BEST_FIT') return [{ x: 0, y: 0, width: even(width), height: even(height) }];
  switch (layout) {
    case 'PICTURE_IN_PICTURE': {
      const insetW = even(width * INSET_SHARE);
      const insetH = even(height * INSET_SHARE);
      const margin = even(Math.min(width, height) / 40);
      const insets = Array.from({ length: count - 1 }, (_, n) => ({ x: width - margin - (n + 1) * (insetW + margin) + margin, y: height - margin - insetH, width: insetW, height: insetH }));
      return [{ x: 0, y: 0, width: even(width), height: even(height) }, ...insets.map((cell) => ({ ...cell, x: Math.max(0, even(cell.x)), y: even(cell.y) }))];
    }
    case 'VERTICAL_PRESENTATION': {
      const bigH = even(height * PRESENTER_SHARE);
      const smallW = even(width / (count - 1));
      return [{ x: 0, y: 0, width: even(width), height: bigH }, ...Array.from({ length: count - 1 }, (_, n) => ({ x: n * smallW, y: bigH, width: smallW, height: even(height - bigH) }))];
    }
    case 'HORIZONTAL_PRESENTATION': {
      const bigW = even(width * PRESENTER_SHARE);
      const smallH = even(height / (count - 1));
      return [{ x: 0, y: 0, width: bigW, height: even(height) }, ...Array.from({ length: count - 1 }, (_, n) => ({ x: bigW, y: n * smallH, width: even(width - bigW), height: smallH }))];
    }
    default: {
      const columns = Math.ceil(Math.sqrt(count));
      const rows = Math.ceil(count / columns);
      const cellW = even(width / columns);
      const cellH = even(height / rows);
      return Array.from({ length: count }, (_, n) => ({ x: (n % columns) * cellW, y: Math.floor(n / columns) * cellH, width: cellW, height: cellH }));
    }
  }
}
