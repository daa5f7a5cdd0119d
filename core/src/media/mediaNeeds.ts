/** What a plugin's ffmpeg commands use, declared so the core can check the installed ffmpeg at start. */
export interface MediaNeeds {
  encoders?: string[];
  decoders?: string[];
  muxers?: string[];
  demuxers?: string[];
  /** Filter names, optionally with the options the plugin relies on: `apad` or `apad=whole_dur`. */
  filters?: string[];
  protocols?: string[];
}

export type MediaNeedKind = keyof MediaNeeds;
export const mediaNeedKinds: MediaNeedKind[] = ['encoders', 'decoders', 'muxers', 'demuxers', 'filters', 'protocols'];

/** One list per kind, each need once, remembering which plugins asked for it (for the start-up message). */
export function mergeMediaNeeds(needsByOwner: Map<string, MediaNeeds>): Map<MediaNeedKind, Map<string, string[]>> {
  const merged = new Map<MediaNeedKind, Map<string, string[]>>();
  for (const kind of mediaNeedKinds) merged.set(kind, new Map());
  for (const [owner, needs] of needsByOwner) {
    for (const kind of mediaNeedKinds) {
      for (const need of needs[kind] ?? []) {
        const owners = merged.get(kind)!.get(need) ?? [];
        if (!owners.includes(owner)) owners.push(owner);
        merged.get(kind)!.set(need, owners);
      }
    }
  }
  return merged;
}
