import type * as TusType from 'tus-js-client';
import { api as backOfficeApi, csrfHeaders, escape } from './backOfficeApi.js';

declare const tus: typeof TusType;

interface FileEntity {
  id: string;
  name: string;
  status: 'processing' | 'ready' | 'failed';
  duration: number;
  size: number;
  link: string;
  encoding: { status: string; progress: number; error: string | null };
}
interface Listing {
  folder: { id: string; name: string; parentId: string | null } | null;
  breadcrumb: { id: string; name: string }[];
  folders: { id: string; name: string }[];
  files: FileEntity[];
  /** Other plugins' actions on a video: POST { url: link } to `action`. */
  openers: { label: string; action: string }[];
}

const app = document.getElementById('app')!;
/** Where the server mounted the plugin's back-office routes (/be/<plugin>). */
const base = app.dataset.base ?? '';
let folderId: string | null = new URLSearchParams(location.search).get('folder');
let refresh: number | undefined;
let openers: Listing['openers'] = [];

const api = <T>(method: string, path: string, body?: unknown) => backOfficeApi<T>(base, method, path, body);

function showError(error: unknown): void {
  app.querySelector('[data-role="error"]')!.textContent = error instanceof Error ? error.message : String(error);
}

function statusCell(file: FileEntity): string {
  if (file.status === 'ready') return '<span data-status="ready">Ready</span>';
  if (file.status === 'failed') return `<span data-status="failed" title="${escape(file.encoding.error ?? '')}">Failed</span> <button data-action="retry">Retry</button>`;
  return `<span data-status="processing">Processing</span> <progress max="100" value="${file.encoding.progress}">${file.encoding.progress} %</progress>`;
}

async function render(): Promise<void> {
  const listing = await api<Listing>('GET', `/files${folderId ? `?folderId=${encodeURIComponent(folderId)}` : ''}`);
  const crumbs = [`<a href="?" data-folder="">All videos</a>`, ...listing.breadcrumb.map((c) => `<a href="?folder=${escape(c.id)}" data-folder="${escape(c.id)}">${escape(c.name)}</a>`)].join(' / ');
  const folders = listing.folders.map((f) => `<li data-id="${escape(f.id)}"><a href="?folder=${escape(f.id)}" data-folder="${escape(f.id)}">📁 ${escape(f.name)}</a> <button class="danger" data-action="delete-folder">Delete</button></li>`).join('');
  openers = listing.openers;
  const openButtons = openers.map((opener, index) => `<button data-action="open-with" data-opener="${index}">${escape(opener.label)}</button> `).join('');
  const rows = listing.files
    .map(
      (file) => `<tr data-id="${escape(file.id)}" data-link="${escape(file.link)}"><td data-role="name">${escape(file.name)}</td><td>${statusCell(file)}</td><td>${file.duration.toFixed(1)} s</td>
      <td>${file.status === 'ready' ? `<a href="${escape(file.link)}" target="_blank" rel="noopener" data-action="play">Play</a> ${openButtons}` : ''}<button data-action="rename">Rename</button> <button class="danger" data-action="delete">Delete</button></td></tr>`,
    )
    .join('');
  app.innerHTML = `<p class="error" role="alert" data-role="error"></p>
    <nav data-role="breadcrumb">${crumbs}</nav>
    <ul class="folders">${folders}</ul>
    <form class="inline" id="new-folder"><label>New folder <input name="name" required></label> <button type="submit">Create</button></form>
    <form class="inline" id="upload"><label>Video <input type="file" name="file" accept="video/*,.mkv" required></label> <button type="submit">Upload</button>
      <progress id="upload-progress" max="100" value="0" hidden></progress> <span id="upload-state"></span></form>
    <table><thead><tr><th>Name</th><th>Status</th><th>Duration</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="4">No video here yet.</td></tr>'}</tbody></table>`;
  wire();
  window.clearTimeout(refresh);
  if (listing.files.some((file) => file.status === 'processing')) refresh = window.setTimeout(() => void render().catch(showError), 2000);
}

function upload(file: File): Promise<string> {
  const bar = document.getElementById('upload-progress') as HTMLProgressElement;
  const state = document.getElementById('upload-state')!;
  bar.hidden = false;
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(file, {
      endpoint: `${base}/uploads`,
      headers: csrfHeaders(),
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      metadata: { filename: file.name, filetype: file.type },
      onProgress: (sent, total) => {
        bar.value = Math.round((sent / total) * 100);
        state.textContent = `${bar.value} %`;
      },
      onError: reject,
      onSuccess: () => resolve(upload.url!.split('/').pop()!),
    });
    upload.start();
  });
}

function wire(): void {
  for (const link of app.querySelectorAll<HTMLAnchorElement>('[data-folder]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      folderId = link.dataset.folder || null;
      history.pushState(null, '', folderId ? `?folder=${folderId}` : '?');
      void render().catch(showError);
    });
  }
  app.querySelector<HTMLFormElement>('#new-folder')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = new FormData(event.currentTarget as HTMLFormElement).get('name');
    void api('POST', '/folders', { name, parentId: folderId }).then(render).catch(showError);
  });
  app.querySelector<HTMLFormElement>('#upload')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[type=file]')!.files?.[0];
    if (!file) return;
    void upload(file)
      .then((id) => api('POST', `/uploads/${encodeURIComponent(id)}/finalize`, { folderId }))
      .then(render)
      .catch(showError);
  });
  for (const button of app.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
    const row = button.closest<HTMLElement>('[data-id]')!;
    const id = encodeURIComponent(row.dataset.id!);
    button.addEventListener('click', () => {
      const action = button.dataset.action;
      let call: Promise<unknown> | undefined;
      if (action === 'delete' && confirm('Delete this video and all its renditions?')) call = api('DELETE', `/files/${id}`);
      if (action === 'delete-folder' && confirm('Delete this folder and every video in it?')) call = api('DELETE', `/folders/${id}`);
      if (action === 'retry') call = api('POST', `/files/${id}/retry`);
      if (action === 'open-with') {
        const opener = openers[Number(button.dataset.opener)]!;
        void openWith(opener, row.dataset.link!).then(() => (button.textContent = `${opener.label}: sent`)).catch(showError);
        return;
      }
      if (action === 'rename') {
        const name = prompt('New name', row.querySelector('[data-role="name"]')?.textContent ?? '');
        if (name) call = api('PATCH', `/files/${id}`, { name });
      }
      void call?.then(render).catch(showError);
    });
  }
}

/** Another plugin's action on the video, as the signed-in user: it answers 202 once the work is queued. */
async function openWith(opener: Listing['openers'][number], link: string): Promise<void> {
  const response = await fetch(opener.action, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...csrfHeaders() },
    body: JSON.stringify({ url: link }),
  });
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) throw new Error(payload?.error?.message ?? `Request failed (${response.status})`);
}

window.addEventListener('popstate', () => {
  folderId = new URLSearchParams(location.search).get('folder');
  void render().catch(showError);
});
void render().catch((error: unknown) => (app.textContent = error instanceof Error ? error.message : String(error)));
