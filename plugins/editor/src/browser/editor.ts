/**
 * The editor page's script: the timeline being edited (`state`), its preview, saving its title and tracks through the
 * session's PUT, and exporting. It tells the partner's page (its parent frame) about unsaved work, saves and exports.
 */
import { byId, el } from './dom.js';
import type { Clip, EditorData, Track } from './timeline.js';
import { trackEditor } from './trackEditor.js';

interface SavedTimeline {
  title: string;
  tracks: Track[];
  duration: number;
}
interface ExportProgress {
  status: string;
  progress?: number;
}
interface ApiFailure {
  message?: string;
}

const data = JSON.parse(byId('editor-data').textContent ?? '') as EditorData;
const files = new Map(data.files.map((f) => [f.id, f]));
const state = { tracks: structuredClone(data.timeline.tracks) };
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const status = byId('status');
const showStatus = (text: string, code: string) => {
  status.textContent = text;
  status.dataset.status = code;
};
const preview = byId<HTMLVideoElement>('preview');
const editor = trackEditor({ data, files, state, changed, play });

function play(clip: Clip): void {
  const file = files.get(clip.fileId);
  if (!file || file.type === 'audio') return;
  if (preview.dataset.file !== String(file.id)) {
    preview.src = file.preview;
    preview.dataset.file = String(file.id);
  }
  preview.currentTime = (clip.in || 0) / 1000;
}
function previewFirst(): void {
  const video = state.tracks.find((t) => t.type === 'video' && t.clips.length);
  if (video?.type === 'video' && video.clips[0]) play(video.clips[0]);
}
function showDuration(ms: number): void {
  byId('duration').textContent = seconds(ms);
}
function changed(redraw = false): void {
  if (redraw) editor.renderTracks();
  showStatus('Unsaved changes', 'UNSAVED');
  parent.postMessage('have_unsaved_work', '*');
}

showDuration(data.timeline.duration);
editor.renderTracks();
editor.renderMedia();
previewFirst();
for (const font of data.fonts) byId('fonts').append(el('span', { className: 'font', textContent: font }));
const titleInput = byId<HTMLInputElement>('title-input');
titleInput.oninput = () => parent.postMessage('have_unsaved_work', '*');
const timelineUrl = location.pathname.replace(/\/$/, '');

byId('save').onclick = async () => {
  showStatus('Saving…', 'SAVING');
  const tracks = state.tracks.filter((t) => (t.type === 'text' ? t.texts.length : t.clips.length) > 0);
  const res = await fetch(timelineUrl, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: titleInput.value, tracks }) });
  const body = (await res.json().catch(() => ({}))) as SavedTimeline & ApiFailure;
  if (!res.ok) {
    showStatus(body.message || `Not saved (${res.status})`, 'ERROR');
    return;
  }
  byId('title').textContent = body.title;
  state.tracks = body.tracks;
  showDuration(body.duration);
  editor.renderTracks();
  previewFirst();
  showStatus('Saved', 'SAVED');
  parent.postMessage('work_is_saved', '*');
};

parent.postMessage({ event: 'navigate', data: { path: `editor/${data.timeline.id}` } }, '*');

byId('export').onclick = async () => {
  status.textContent = 'Starting…';
  const res = await fetch(`${timelineUrl}/export`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const body = (await res.json()) as { exportId: string } & ApiFailure;
  if (!res.ok) {
    status.textContent = body.message || 'Export failed';
    return;
  }
  parent.postMessage({ event: 'exportStarting', data: { exportId: body.exportId } }, '*');
  for (;;) {
    const progress = (await (await fetch(`${data.exportsUrl}${body.exportId}`)).json()) as ExportProgress;
    showStatus(`${progress.status} ${progress.progress || 0}%`, progress.status);
    if (progress.status === 'COMPLETED' || progress.status === 'FAILED') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
