import type { MediaNeeds } from '../../core/src/media/mediaNeeds.js';

/** The filters of a graph, split on "," and ";" outside quotes, brackets and escapes. */
function filterSpecs(graph: string): string[] {
  const specs: string[] = [];
  let current = '';
  let quoted = false;
  let bracket = false;
  for (let i = 0; i < graph.length; i++) {
    const char = graph[i]!;
    if (char === '\\') {
      current += char + (graph[++i] ?? '');
      continue;
    }
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '[') bracket = true;
    else if (!quoted && char === ']') bracket = false;
    else if (!quoted && !bracket && (char === ',' || char === ';')) {
      specs.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  return [...specs, current];
}

/** Filter names in a filtergraph: "[0:v]scale=320:240,setsar=1[v0];[v0]split=2[a][b]" → scale, setsar, split. */
export function filtersOf(graph: string): string[] {
  const names = new Set<string>();
  for (const spec of filterSpecs(graph)) {
    const name = /^\s*(?:\[[^\]]*\]\s*)*([A-Za-z0-9_]+)/.exec(spec)?.[1];
    if (name) names.add(name);
  }
  return [...names];
}

/**
 * The encoders, muxers, demuxers and filters an ffmpeg argument list uses, as far as its arguments say:
 * what a plugin's declared MediaNeeds must cover. Codec "copy" and inputs whose format ffmpeg guesses are not counted.
 */
export function needsOfArguments(args: readonly string[]): Required<Pick<MediaNeeds, 'encoders' | 'muxers' | 'demuxers' | 'filters'>> {
  const needs = { encoders: new Set<string>(), muxers: new Set<string>(), demuxers: new Set<string>(), filters: new Set<string>() };
  // Inputs come before outputs: a format named before the last -i is a demuxer's, after it a muxer's.
  const lastInput = args.lastIndexOf('-i');
  for (let i = 0; i < args.length - 1; i++) {
    const [arg, value] = [args[i]!, args[i + 1]!];
    if (arg === '-f') (i < lastInput ? needs.demuxers : needs.muxers).add(value);
    else if (/^-(c|codec|vcodec|acodec|scodec)(:[vas])?(:\d+)?$/.test(arg) && value !== 'copy') needs.encoders.add(value);
    else if (/^-(vf|af|filter|filter_complex|lavfi)(:[va])?$/.test(arg)) for (const name of filtersOf(value)) needs.filters.add(name);
    else continue;
    i++;
  }
  return { encoders: [...needs.encoders], muxers: [...needs.muxers], demuxers: [...needs.demuxers], filters: [...needs.filters] };
}
