import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { api as backOfficeApi, escape } from './backOfficeApi.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Filler, Tooltip, Legend);

interface Point {
  Timestamp: number;
  Bytes: number;
}
interface TopEntry {
  ID: number | string;
  Name: string;
  value: number;
}
interface User {
  ID: string;
  Email: string;
  Name: string;
  Admin: boolean;
  Storage: number;
  used_storage: number;
  file_count: number;
  UploadEnabled: boolean;
  RemoteDownloadEnabled: boolean;
  MaxRemoteDownloads: number;
}
interface Page {
  ID: number;
  Path: string;
  Title: string;
  Html: string;
  ListInFooter: boolean;
}
type Settings = Record<string, string | number>;

const app = document.getElementById('app')!;
const base = app.dataset.base ?? '';
const pageViews = app.dataset.pages ?? '';
const api = <T>(method: string, path: string, body?: unknown) => backOfficeApi<T>(base, method, path, body);
const DAY_MS = 86_400_000;
const charts: Chart[] = [];

function bytes(value: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

function showError(error: unknown): void {
  app.querySelector('[data-role="error"]')!.textContent = error instanceof Error ? error.message : String(error);
}

function lineChart(canvas: HTMLCanvasElement, label: string, points: Point[], format: (value: number) => string): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: points.map((p) => new Date(p.Timestamp).toISOString().slice(5, 10)),
      datasets: [{ label, data: points.map((p) => p.Bytes), borderColor: '#2563eb', backgroundColor: 'rgba(37,99,235,.15)', fill: true, tension: 0.2, pointRadius: 2 }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => format(item.parsed.y ?? 0) } } },
      scales: { y: { beginAtZero: true, ticks: { callback: (value) => format(Number(value)) } } },
    },
  });
}

function topTable(entries: TopEntry[], format: (value: number) => string): string {
  if (!entries.length) return '<p data-role="empty">Nothing yet.</p>';
  return `<table><tbody>${entries.map((e) => `<tr><td>${escape(e.Name)}</td><td class="num">${escape(format(e.value))}</td></tr>`).join('')}</tbody></table>`;
}

async function renderDashboard(days: number): Promise<void> {
  const to = new Date();
  const span = `from=${encodeURIComponent(new Date(to.getTime() - (days - 1) * DAY_MS).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const [traffic, uploads, encoding, storage, topFiles, topUsers, largestFiles, largestUsers] = await Promise.all([
    api<{ Traffic: Point[] }>('GET', `/stats/traffic?${span}`),
    api<{ Traffic: Point[] }>('GET', `/stats/upload?${span}`),
    api<{ Traffic: Point[] }>('GET', `/stats/encoding?${span}`),
    api<{ Traffic: Point[] }>('GET', `/stats/storage?${span}`),
    api<TopEntry[]>('GET', `/stats/traffic/top?mode=files&${span}`),
    api<TopEntry[]>('GET', `/stats/traffic/top?mode=users&${span}`),
    api<TopEntry[]>('GET', '/stats/storage/top?mode=files'),
    api<TopEntry[]>('GET', '/stats/storage/top?mode=users'),
  ]);
  const minutes = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(seconds < 10 ? 1 : 0)} s` : `${(seconds / 60).toFixed(1)} min`);
  const section = document.getElementById('dashboard')!;
  for (const chart of charts.splice(0)) chart.destroy();
  const total = (points: Point[]) => points.reduce((sum, p) => sum + p.Bytes, 0);
  section.querySelector('[data-role="totals"]')!.innerHTML = `
    <li>Traffic <strong data-total="traffic">${escape(bytes(total(traffic.Traffic)))}</strong></li>
    <li>Uploads <strong data-total="upload">${escape(bytes(total(uploads.Traffic)))}</strong></li>
    <li>Encoding <strong data-total="encoding">${escape(minutes(total(encoding.Traffic)))}</strong></li>
    <li>Stored now <strong data-total="storage">${escape(bytes(storage.Traffic.at(-1)?.Bytes ?? 0))}</strong></li>`;
  const canvas = (name: string) => section.querySelector<HTMLCanvasElement>(`canvas[data-chart="${name}"]`)!;
  charts.push(
    lineChart(canvas('traffic'), 'Traffic', traffic.Traffic, bytes),
    lineChart(canvas('upload'), 'Uploads', uploads.Traffic, bytes),
    lineChart(canvas('encoding'), 'Encoding', encoding.Traffic, minutes),
    lineChart(canvas('storage'), 'Storage', storage.Traffic, bytes),
  );
  section.querySelector('[data-top="files"]')!.innerHTML = topTable(topFiles, bytes);
  section.querySelector('[data-top="users"]')!.innerHTML = topTable(topUsers, bytes);
  section.querySelector('[data-top="largest-files"]')!.innerHTML = topTable(largestFiles, bytes);
  section.querySelector('[data-top="largest-users"]')!.innerHTML = topTable(largestUsers, bytes);
}

async function renderUsers(): Promise<void> {
  const { data } = await api<{ data: User[] }>('GET', '/users?limit=1000');
  document.querySelector('#users tbody')!.innerHTML = data
    .map(
      (u) => `<tr data-id="${escape(u.ID)}"><td data-role="email">${escape(u.Email)}</td><td>${u.Admin ? 'admin' : ''}</td>
      <td class="num">${escape(bytes(u.used_storage))} of <input type="number" min="0" step="1" data-field="storage" value="${u.Storage}" aria-label="Quota in bytes"></td>
      <td class="num">${u.file_count}</td>
      <td><input type="checkbox" data-field="uploadEnabled" ${u.UploadEnabled ? 'checked' : ''} aria-label="Uploads enabled"></td>
      <td><input type="checkbox" data-field="remoteDownloadEnabled" ${u.RemoteDownloadEnabled ? 'checked' : ''} aria-label="Remote downloads enabled"></td>
      <td><button data-action="save-user">Save</button> <button data-action="reset-password">Password…</button> <button class="danger" data-action="delete-user">Delete</button></td></tr>`,
    )
    .join('');
}

async function renderSettings(): Promise<void> {
  const settings = await api<Settings>('GET', '/settings');
  const form = document.getElementById('settings') as HTMLFormElement;
  (form.elements.namedItem('AppName') as HTMLInputElement).value = String(settings.AppName);
  (form.elements.namedItem('MaxUploadFilesize') as HTMLInputElement).value = String(settings.MaxUploadFilesize);
  (form.elements.namedItem('UploadEnabled') as HTMLInputElement).checked = settings.UploadEnabled === 'true';
  (form.elements.namedItem('RemoteDownloadEnabled') as HTMLInputElement).checked = settings.RemoteDownloadEnabled === 'true';
}

async function renderPages(): Promise<void> {
  const pages = await api<Page[]>('GET', '/pages');
  document.querySelector('#pages tbody')!.innerHTML = pages
    .map(
      (p) => `<tr data-id="${p.ID}"><td><a href="${escape(`${pageViews}/${p.Path}`)}" target="_blank" rel="noopener">${escape(p.Path)}</a></td><td data-role="title">${escape(p.Title)}</td>
      <td>${p.ListInFooter ? 'footer' : ''}</td><td><button data-action="edit-page">Edit</button> <button class="danger" data-action="delete-page">Delete</button></td></tr>`,
    )
    .join('');
  pagesById = new Map(pages.map((p) => [p.ID, p]));
}
let pagesById = new Map<number, Page>();

function layout(): void {
  app.innerHTML = `<p class="error" role="alert" data-role="error"></p>
  <section id="dashboard"><h2>Usage</h2>
    <label>Period <select id="period"><option value="7">7 days</option><option value="30" selected>30 days</option><option value="90">90 days</option></select></label>
    <ul class="totals" data-role="totals"></ul>
    <div class="charts">
      ${['traffic:Traffic', 'upload:Uploads', 'encoding:Encoding time', 'storage:Storage']
        .map((entry) => entry.split(':'))
        .map(([name, title]) => `<figure><figcaption>${title}</figcaption><div class="chart"><canvas data-chart="${name}" role="img" aria-label="${title} per day"></canvas></div></figure>`)
        .join('')}
    </div>
    <div class="tops">
      <div><h3>Top files by traffic</h3><div data-top="files"></div></div>
      <div><h3>Top users by traffic</h3><div data-top="users"></div></div>
      <div><h3>Largest files</h3><div data-top="largest-files"></div></div>
      <div><h3>Users storing the most</h3><div data-top="largest-users"></div></div>
    </div>
  </section>
  <section id="users"><h2>Users</h2>
    <table><thead><tr><th>Email</th><th></th><th>Storage used of quota (bytes)</th><th>Files</th><th>Uploads</th><th>Remote downloads</th><th></th></tr></thead><tbody></tbody></table>
    <form class="inline" id="new-user"><label>Email <input name="username" type="email" required></label> <label>Password <input name="password" type="password" minlength="8" required></label>
      <label><input name="admin" type="checkbox"> admin</label> <button type="submit">Create user</button></form>
  </section>
  <section><h2>Settings</h2>
    <form id="settings"><label>Name <input name="AppName" required maxlength="120"></label>
      <label>Largest upload (bytes) <input name="MaxUploadFilesize" type="number" min="1" required></label>
      <label><input name="UploadEnabled" type="checkbox"> Uploads enabled</label>
      <label><input name="RemoteDownloadEnabled" type="checkbox"> Remote downloads enabled</label>
      <button type="submit">Save settings</button> <span data-role="saved"></span></form>
  </section>
  <section id="pages"><h2>Pages</h2>
    <table><thead><tr><th>Path</th><th>Title</th><th></th><th></th></tr></thead><tbody></tbody></table>
    <form id="page-form"><input type="hidden" name="WebPageID"><label>Path <input name="Path" required minlength="2" maxlength="50"></label>
      <label>Title <input name="Title" required minlength="2" maxlength="128"></label>
      <label><input name="ListInFooter" type="checkbox"> In the footer</label>
      <label>HTML (script, handlers and styles are removed) <textarea name="Html" rows="6"></textarea></label>
      <button type="submit">Save page</button></form>
  </section>`;
}

/** The shell's stylesheet knows nothing of charts, and the CSP takes no inline style: sized through the CSSOM. */
function sizeCharts(): void {
  const grid = document.querySelector<HTMLElement>('#dashboard .charts')!;
  Object.assign(grid.style, { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: '1rem' });
  for (const box of document.querySelectorAll<HTMLElement>('#dashboard .chart')) Object.assign(box.style, { position: 'relative', height: '200px' });
  const tops = document.querySelector<HTMLElement>('#dashboard .tops')!;
  Object.assign(tops.style, { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))', gap: '1rem' });
}

function wire(): void {
  document.getElementById('period')!.addEventListener('change', (event) => void renderDashboard(Number((event.target as HTMLSelectElement).value)).catch(showError));
  document.getElementById('new-user')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void api('POST', '/users', { username: data.get('username'), password: data.get('password'), admin: data.get('admin') === 'on' })
      .then(() => form.reset())
      .then(renderUsers)
      .catch(showError);
  });
  document.querySelector('#users tbody')!.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const row = button?.closest<HTMLTableRowElement>('tr');
    if (!button || !row) return;
    const id = encodeURIComponent(row.dataset.id!);
    const field = (name: string) => row.querySelector<HTMLInputElement>(`[data-field="${name}"]`)!;
    let call: Promise<unknown> | undefined;
    if (button.dataset.action === 'save-user') {
      call = api('PUT', `/users/${id}`, { storage: Number(field('storage').value), uploadEnabled: field('uploadEnabled').checked, remoteDownloadEnabled: field('remoteDownloadEnabled').checked });
    }
    if (button.dataset.action === 'delete-user' && confirm('Delete this user? Their videos stay.')) call = api('DELETE', `/users/${id}`);
    if (button.dataset.action === 'reset-password') {
      const password = prompt('New password (at least 8 characters)');
      if (password) call = api('POST', `/users/${id}/password`, { new_password: password });
    }
    void call?.then(renderUsers).catch(showError);
  });
  document.getElementById('settings')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const body = { AppName: data.get('AppName'), MaxUploadFilesize: String(data.get('MaxUploadFilesize')), UploadEnabled: data.get('UploadEnabled') === 'on', RemoteDownloadEnabled: data.get('RemoteDownloadEnabled') === 'on' };
    void api('PUT', '/settings', body)
      .then(() => {
        form.querySelector('[data-role="saved"]')!.textContent = 'Saved.';
      })
      .then(renderSettings)
      .catch(showError);
  });
  const pageForm = document.getElementById('page-form') as HTMLFormElement;
  pageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(pageForm);
    const id = Number(data.get('WebPageID'));
    const body = { Path: data.get('Path'), Title: data.get('Title'), Html: data.get('Html'), ListInFooter: data.get('ListInFooter') === 'on', ...(id ? { WebPageID: id } : {}) };
    void api(id ? 'PUT' : 'POST', '/page', body)
      .then(() => pageForm.reset())
      .then(renderPages)
      .catch(showError);
  });
  document.querySelector('#pages tbody')!.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const id = Number(button?.closest<HTMLTableRowElement>('tr')?.dataset.id);
    const page = pagesById.get(id);
    if (!button || !page) return;
    if (button.dataset.action === 'edit-page') {
      for (const [name, value] of Object.entries({ WebPageID: String(page.ID), Path: page.Path.replace(/\/$/, ''), Title: page.Title, Html: page.Html })) {
        (pageForm.elements.namedItem(name) as HTMLInputElement).value = value;
      }
      (pageForm.elements.namedItem('ListInFooter') as HTMLInputElement).checked = page.ListInFooter;
    }
    if (button.dataset.action === 'delete-page' && confirm('Delete this page?')) void api('DELETE', '/page', { WebPageID: id }).then(renderPages).catch(showError);
  });
}

layout();
sizeCharts();
wire();
Promise.all([renderDashboard(30), renderUsers(), renderSettings(), renderPages()])
  .then(() => app.setAttribute('data-ready', 'true'))
  .catch(showError);
