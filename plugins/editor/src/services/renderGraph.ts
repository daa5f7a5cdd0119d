import type { Layout } from './timelineLayout.js';

export interface RenderOutput {
  width: number;
  height: number;
  fps: number;
}

export interface RenderInput {
  path: string;
  options: string[];
}

/** What ffmpeg gets: inputs with their options, one filter graph, and the labels of the picture and the sound to encode. */
export interface RenderGraph {
  inputs: RenderInput[];
  filter: string;
  video: string;
  audio: string;
}

export interface RenderSources {
  /** The file a clip reads (the original, not the proxy). */
  media(fileId: number): string;
  /** The .ttf to draw a text with. */
  font(name: string | undefined): string;
  /** A file holding a text element's text (drawtext reads it, so no text needs escaping). */
  textFile(index: number): string;
}

const s = (ms: number) => (ms / 1000).toFixed(3);
const AUDIO_FORMAT = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';
/** Filter-graph paths are ours (storage, conf): quoting is enough, but a quote would break out of it. */
const quoted = (path: string) => {
  if (/['\\]/.test(path)) throw new Error(`unusable path in a filter graph: ${path}`);
  return `'${path}'`;
};
const hex = (colour: string) => `0x${colour.slice(1)}`;

/**
 * The ffmpeg filter graph of a laid-out timeline: each video segment scaled and padded into the frame,
 * joined by concat or xfade (with acrossfade on the sound), texts drawn on top, and audio clips mixed in
 * at their start.
 */
export function renderGraph(layout: Layout, sources: RenderSources, out: RenderOutput): RenderGraph {
  const inputs: RenderInput[] = [];
  const filters: string[] = [];
  const frame = `scale=${out.width}:${out.height}:force_original_aspect_ratio=decrease,pad=${out.width}:${out.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${out.fps},format=yuv420p`;
  const total = layout.durationMs;

  let video = '';
  let audio = '';
  let placed = 0;
  layout.video.forEach((segment, i) => {
    const length = s(segment.length);
    if (segment.kind === 'gap') {
      filters.push(`color=c=black:s=${out.width}x${out.height}:r=${out.fps}:d=${length},format=yuv420p,setsar=1[v${i}]`);
      filters.push(`anullsrc=r=48000:cl=stereo,${AUDIO_FORMAT},atrim=duration=${length}[a${i}]`);
    } else {
      const k = inputs.length;
      const image = segment.file.type === 'image';
      inputs.push({ path: sources.media(segment.file.id), options: image ? ['-loop', '1', '-framerate', String(out.fps), '-t', length] : ['-ss', s(segment.in), '-t', length] });
      filters.push(`[${k}:v:0]${frame},tpad=stop_mode=clone:stop_duration=${length},trim=duration=${length},setpts=PTS-STARTPTS[v${i}]`);
      if (segment.file.hasAudio) {
        filters.push(`[${k}:a:0]${AUDIO_FORMAT},volume=${segment.volume},apad=whole_dur=${length},atrim=duration=${length},asetpts=PTS-STARTPTS[a${i}]`);
      } else {
        filters.push(`anullsrc=r=48000:cl=stereo,${AUDIO_FORMAT},atrim=duration=${length}[a${i}]`);
      }
    }
    if (i === 0) {
      video = `[v0]`;
      audio = `[a0]`;
      placed = segment.length;
      return;
    }
    const transition = segment.kind === 'clip' ? segment.transition : undefined;
    if (transition) {
      filters.push(`${video}[v${i}]xfade=transition=${transition.type}:duration=${s(transition.duration)}:offset=${s(placed - transition.duration)}[vj${i}]`);
      filters.push(`${audio}[a${i}]acrossfade=d=${s(transition.duration)}[aj${i}]`);
      placed += segment.length - transition.duration;
    } else {
      filters.push(`${video}[v${i}]concat=n=2:v=1:a=0[vj${i}]`);
      filters.push(`${audio}[a${i}]concat=n=2:v=0:a=1[aj${i}]`);
      placed += segment.length;
    }
    video = `[vj${i}]`;
    audio = `[aj${i}]`;
  });
  if (!video) {
    filters.push(`color=c=black:s=${out.width}x${out.height}:r=${out.fps}:d=${s(total)},format=yuv420p,setsar=1[vbase]`);
    filters.push(`anullsrc=r=48000:cl=stereo,${AUDIO_FORMAT},atrim=duration=${s(total)}[abase]`);
  } else {
    // audio or text may outlast the pictures: hold black after them, and silence
    filters.push(`${video}tpad=stop_mode=add:stop_duration=${s(Math.max(0, total - placed))}:color=black,trim=duration=${s(total)}[vbase]`);
    filters.push(`${audio}apad=whole_dur=${s(total)},atrim=duration=${s(total)}[abase]`);
  }

  let drawn = '[vbase]';
  layout.texts.forEach((text, i) => {
    const box = text.background ? `:box=1:boxcolor=${hex(text.background)}:boxborderw=${Math.round(text.size / 4)}` : '';
    const label = `[t${i}]`;
    filters.push(
      `${drawn}drawtext=fontfile=${quoted(sources.font(text.font))}:textfile=${quoted(sources.textFile(i))}:fontsize=${text.size}:fontcolor=${hex(text.color)}${box}` +
        `:x=w*${text.x}-text_w/2:y=h*${text.y}-text_h/2:enable='between(t,${s(text.start)},${s(text.start + text.duration)})'${label}`,
    );
    drawn = label;
  });

  let mixed = '[abase]';
  if (layout.audio.length) {
    const labels = layout.audio.map((placement, j) => {
      const k = inputs.length;
      inputs.push({ path: sources.media(placement.file.id), options: ['-ss', s(placement.in), '-t', s(placement.length)] });
      filters.push(`[${k}:a:0]${AUDIO_FORMAT},volume=${placement.volume},adelay=delays=${placement.start}:all=1[m${j}]`);
      return `[m${j}]`;
    });
    filters.push(`[abase]${labels.join('')}amix=inputs=${labels.length + 1}:duration=first:normalize=0[amix]`);
    mixed = '[amix]';
  }
  return { inputs, filter: filters.join(';'), video: drawn, audio: mixed };
}
