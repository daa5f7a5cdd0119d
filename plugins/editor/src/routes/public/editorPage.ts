import { escapeHtml } from '@mediahost/core';

/** JSON inside a <script> element: "<" escaped so no text can close the element. */
const embedded = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#1d1f24;color:#eee}
header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#111}
header h1{font-size:1.1rem;margin:0;flex:1}
input{padding:.35rem;border-radius:4px;border:1px solid #555;background:#222;color:#eee}
button{background:#2b7cff;color:#fff;border:0;padding:.45rem .9rem;border-radius:4px;cursor:pointer}
main{display:grid;grid-template-columns:1fr 320px;gap:1rem;padding:1rem}
video{width:100%;background:#000;aspect-ratio:16/9}
.track{margin:.5rem 0;padding:.4rem;background:#2a2d34;border-radius:4px}
.track h3{margin:0 0 .3rem;font-size:.85rem;text-transform:uppercase;color:#9ab}
.items{display:flex;gap:4px;flex-wrap:wrap}
.item{background:#3b4150;padding:.3rem .5rem;border-radius:3px;font-size:.8rem;cursor:pointer}
#status{font-size:.85rem;color:#9c9}
a{color:#8bf}
`;

export interface EditorPageData {
  timeline: { id: number; title: string; duration: number; tracks: unknown[] };
  files: { id: number; title: string; type: string; duration: number; preview: string }[];
  fonts: string[];
}

/** The editor: the timeline's tracks, a preview of its clips from their proxies, and an export button. */
export function editorPage(data: EditorPageData): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.timeline.title)} – Editor</title><style>${STYLE}</style></head>
<body>
<header><h1 id="title">${escapeHtml(data.timeline.title)}</h1><input id="title-input" aria-label="Title" value="${escapeHtml(data.timeline.title)}"><button id="save" type="button">Save</button><span id="duration"></span><button id="export" type="button">Export</button><span id="status"></span></header>
<main>
  <section><video id="preview" controls playsinline></video><div id="tracks"></div></section>
  <aside><h2>Media</h2><div id="media" class="items"></div><h2>Fonts</h2><div id="fonts" class="items"></div></aside>
</main>
<script type="application/json" id="editor-data">${embedded(data)}</script>
<script type="module">
const data = JSON.parse(document.getElementById('editor-data').textContent);
const files = new Map(data.files.map((f) => [f.id, f]));
const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';
document.getElementById('duration').textContent = seconds(data.timeline.duration);
const preview = document.getElementById('preview');
function play(clip) {
  const file = files.get(clip.fileId);
  if (!file || file.type === 'audio') return;
  if (preview.dataset.file !== String(file.id)) { preview.src = file.preview; preview.dataset.file = String(file.id); }
  preview.currentTime = (clip.in || 0) / 1000;
}
const tracks = document.getElementById('tracks');
for (const track of data.timeline.tracks) {
  const box = document.createElement('div'); box.className = 'track ' + track.type;
  const h = document.createElement('h3'); h.textContent = track.type; box.append(h);
  const items = document.createElement('div'); items.className = 'items'; box.append(items);
  for (const element of track.type === 'text' ? track.texts : track.clips) {
    const item = document.createElement('span'); item.className = 'item';
    if (track.type === 'text') { item.textContent = element.text; item.style.color = element.color || '#fff'; }
    else { const file = files.get(element.fileId); item.textContent = (file ? file.title : '#' + element.fileId) + (element.transition ? ' ⟨' + element.transition.type + '⟩' : ''); item.onclick = () => play(element); }
    items.append(item);
  }
  tracks.append(box);
}
const first = data.timeline.tracks.find((t) => t.type === 'video' && t.clips.length);
if (first) play(first.clips[0]);
for (const file of data.files) { const s = document.createElement('span'); s.className = 'item'; s.textContent = file.title + ' (' + file.type + ')'; document.getElementById('media').append(s); }
for (const font of data.fonts) { const s = document.createElement('span'); s.className = 'item'; s.textContent = font; document.getElementById('fonts').append(s); }
const status = document.getElementById('status');
const titleInput = document.getElementById('title-input');
titleInput.oninput = () => parent.postMessage('have_unsaved_work', '*');
document.getElementById('save').onclick = async () => {
  const res = await fetch(location.pathname.replace(/\\/$/, ''), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: titleInput.value }) });
  const body = await res.json();
  if (!res.ok) { status.textContent = body.message || 'Not saved'; return; }
  document.getElementById('title').textContent = body.title;
  status.textContent = 'Saved';
  status.dataset.status = 'SAVED';
  parent.postMessage('work_is_saved', '*');
};
parent.postMessage({ event: 'navigate', data: { path: 'editor/' + data.timeline.id } }, '*');
document.getElementById('export').onclick = async () => {
  status.textContent = 'Starting…';
  const res = await fetch(location.pathname.replace(/\\/$/, '') + '/export', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const body = await res.json();
  if (!res.ok) { status.textContent = body.message || 'Export failed'; return; }
  parent.postMessage({ event: 'exportStarting', data: { exportId: body.exportId } }, '*');
  for (;;) {
    const state = await (await fetch('/editor/api/3/editor/exports/' + body.exportId)).json();
    status.textContent = state.status + ' ' + (state.progress || 0) + '%';
    status.dataset.status = state.status;
    if (state.status === 'COMPLETED' || state.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 500));
  }
};
</script>
</body></html>`;
}

export function hubPage(user: string, timelines: { id: number; title: string }[]): string {
  const items = timelines.map((t) => `<li><a href="/editor/api/3/editor/${t.id}">${escapeHtml(t.title)}</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hub</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(user)}</h1></header><main><section><h2>Projects</h2><ul id="timelines">${items || '<li>No timeline yet</li>'}</ul></section></main></body></html>`;
}
