/** What the editor page embeds as JSON for its script (plugins/editor/src/browser/editor.ts); tracks as the API returns them. */
export interface EditorPageData {
  timeline: { id: number; title: string; duration: number; tracks: unknown[] };
  files: { id: number; title: string; type: string; duration: number; preview: string }[];
  fonts: string[];
  transitions: readonly string[];
  /** Where the page asks for an export's state: this path and the export's id. */
  exportsUrl: string;
}
