import type { PluginUrls } from '@mediahost/core';
import type { FileDoc } from '../../models/file.js';
import { MUTED_STREAM } from '../../services/mediaLayout.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = `body{margin:0;background:#111;color:#eee;font-family:system-ui,sans-serif}
main{max-width:1100px;margin:0 auto;padding:1rem}video{width:100%;background:#000;aspect-ratio:16/9}
.controls{display:flex;flex-wrap:wrap;gap:1rem;margin:.75rem 0}label{display:flex;gap:.4rem;align-items:center}
a{color:#9cf}select{font:inherit}`;

/** A public page of the plugin: `body` is trusted markup, the title is escaped. */
export function shell(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style>${head}</head><body><main>${body}</main></body></html>`;
}

export function statusPage(title: string, message: string, refresh: boolean): string {
  return shell(title, `<h1>${escape(title)}</h1><p>${escape(message)}</p>`, refresh ? '<meta http-equiv="refresh" content="5">' : '');
}

/** The player: hls.js on the multi-quality master playlist, with quality, audio and subtitle choices. */
export function playerPage(file: FileDoc, urls: PluginUrls): string {
  const base = urls.public(`/${file._id}`);
  const stream = file.audio[0]?.id ?? MUTED_STREAM;
  const downloads = file.renditions
    .map((r) => `<a href="${base}/${r.name}/${stream}/stream/video.mp4">MP4 ${escape(r.name)}</a> <a href="${base}/${r.name}/download/video.mkv">MKV ${escape(r.name)}</a>`)
    .join(' · ');
  return shell(
    file.name,
    `<h1>${escape(file.name)}</h1>
<video id="player" controls playsinline preload="metadata" poster="${base}/image/thumb/poster.jpg"
  data-master="${base}/stream/multi/master.m3u8"></video>
<div class="controls">
  <label>Quality <select id="quality"><option value="-1">Auto</option></select></label>
  <label>Audio <select id="audio"></select></label>
  <label>Subtitles <select id="subtitles"><option value="-1">Off</option></select></label>
</div>
<p>${downloads}</p>`,
    `<script src="${urls.public('/assets/hls.min.js')}"></script><script type="module" src="${urls.public('/assets/player.js')}"></script>`,
  );
}
