/**
 * The editor page's own script, as the browser runs it: the timeline being edited (`state`), its preview, saving
 * its title and tracks through the session's PUT, and exporting. It runs after trackEditorScript, whose functions it calls.
 */
export const editorPageScript = String.raw`
const data = JSON.parse(document.getElementById('editor-data').textContent);
const files = new Map(data.files.map((f) => [f.id, f]));
const state = { tracks: structuredClone(data.timeline.tracks) };
const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';
const status = document.getElementById('status');
const showStatus = (text, code) => { status.textContent = text; status.dataset.status = code; };
const preview = document.getElementById('preview');
function play(clip) {
  const file = files.get(clip.fileId);
  if (!file || file.type === 'audio') return;
  if (preview.dataset.file !== String(file.id)) { preview.src = file.preview; preview.dataset.file = String(file.id); }
  preview.currentTime = (clip.in || 0) / 1000;
}
function previewFirst() {
  const video = state.tracks.find((t) => t.type === 'video' && t.clips.length);
  if (video) play(video.clips[0]);
}
function showDuration(ms) { document.getElementById('duration').textContent = seconds(ms); }
/** After an edit; a structural one (add, move, remove) redraws the tracks. */
function changed(redraw) {
  if (redraw) renderTracks();
  showStatus('Unsaved changes', 'UNSAVED');
  parent.postMessage('have_unsaved_work', '*');
}
showDuration(data.timeline.duration);
renderTracks();
renderMedia();
previewFirst();
for (const font of data.fonts) document.getElementById('fonts').append(el('span', { className: 'font', textContent: font }));
const titleInput = document.getElementById('title-input');
titleInput.oninput = () => parent.postMessage('have_unsaved_work', '*');
const timelineUrl = location.pathname.replace(/\/$/, '');
document.getElementById('save').onclick = async () => {
  showStatus('Saving…', 'SAVING');
  const tracks = state.tracks.filter((t) => (t.type === 'text' ? t.texts.length : t.clips.length) > 0);
  const res = await fetch(timelineUrl, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: titleInput.value, tracks }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { showStatus(body.message || 'Not saved (' + res.status + ')', 'ERROR'); return; }
  document.getElementById('title').textContent = body.title;
  state.tracks = body.tracks;
  showDuration(body.duration);
  renderTracks();
  previewFirst();
  showStatus('Saved', 'SAVED');
  parent.postMessage('work_is_saved', '*');
};
parent.postMessage({ event: 'navigate', data: { path: 'editor/' + data.timeline.id } }, '*');
document.getElementById('export').onclick = async () => {
  status.textContent = 'Starting…';
  const res = await fetch(timelineUrl + '/export', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const body = await res.json();
  if (!res.ok) { status.textContent = body.message || 'Export failed'; return; }
  parent.postMessage({ event: 'exportStarting', data: { exportId: body.exportId } }, '*');
  for (;;) {
    const state = await (await fetch(data.exportsUrl + body.exportId)).json();
    showStatus(state.status + ' ' + (state.progress || 0) + '%', state.status);
    if (state.status === 'COMPLETED' || state.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 500));
  }
};
`;
