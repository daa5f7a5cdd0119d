import { escapeHtml } from '@mediahost/core';
import type { EditorPageData } from './editorPageData.js';

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
.item,.media-item{background:#3b4150;padding:.3rem .5rem;border-radius:3px;font-size:.8rem;display:flex;gap:.4rem;align-items:center;margin:2px 0}
.item input[type=number]{width:4.5rem}.item .name{cursor:pointer;flex:1}.item.invalid{outline:1px solid #e55}.problem{color:#f88}
.font{margin-right:.5rem;font-size:.8rem}
.track button,.media-item button{padding:.2rem .5rem}
#status{font-size:.85rem;color:#9c9}
a{color:#8bf}
`;

/** The editor: the user's media, the timeline's clips and texts to edit and save, a preview from the proxies, and an export button. */
export function editorPage(data: EditorPageData, scriptUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.timeline.title)} – Editor</title><style>${STYLE}</style></head>
<body>
<header><h1 id="title">${escapeHtml(data.timeline.title)}</h1><input id="title-input" aria-label="Title" value="${escapeHtml(data.timeline.title)}"><button id="save" type="button">Save</button><span id="duration"></span><button id="export" type="button">Export</button><span id="status"></span></header>
<main>
  <section><video id="preview" controls playsinline></video><div id="tracks"></div></section>
  <aside><h2>Media</h2><div id="media"></div><h2>Fonts</h2><div id="fonts"></div></aside>
</main>
<script type="application/json" id="editor-data">${embedded(data)}</script>
<script type="module" src="${escapeHtml(scriptUrl)}"></script>
</body></html>`;
}

export function hubPage(user: string, timelines: { title: string; url: string }[]): string {
  const items = timelines.map((t) => `<li><a href="${escapeHtml(t.url)}">${escapeHtml(t.title)}</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hub</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(user)}</h1></header><main><section><h2>Projects</h2><ul id="timelines">${items || '<li>No timeline yet</li>'}</ul></section></main></body></html>`;
}
