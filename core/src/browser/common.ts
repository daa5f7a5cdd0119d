/** Shared helpers of the back-office pages: calls to /be/api with the CSRF token, and safe rendering. */
const csrfToken = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/be/api${path}`, {
    method,
    headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const payload = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new ApiError(response.status, payload.error?.message ?? `Request failed (${response.status})`);
  return payload as T;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export function root(): HTMLElement {
  return document.getElementById('app')!;
}

export function showError(container: HTMLElement, error: unknown): void {
  const box = container.querySelector<HTMLElement>('[data-role="error"]');
  const message = error instanceof Error ? error.message : String(error);
  if (box) box.textContent = message;
  else container.insertAdjacentHTML('afterbegin', `<p class="error" role="alert">${escapeHtml(message)}</p>`);
}

export function checkboxes(name: string, options: { id: string; description?: string }[], checked: string[] = []): string {
  return options
    .map(
      (option) =>
        `<label><span><input type="checkbox" name="${escapeHtml(name)}" value="${escapeHtml(option.id)}"${checked.includes(option.id) ? ' checked' : ''}> ${escapeHtml(option.id)}</span>${option.description ? `<small>${escapeHtml(option.description)}</small>` : ''}</label>`,
    )
    .join('');
}

export function checkedValues(form: HTMLFormElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((input) => input.value);
}

/** Runs a page's render function once the document is ready, showing any failure in place. */
export function startPage(render: () => Promise<void>): void {
  const run = () => render().catch((error: unknown) => showError(root(), error));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
}

/** Wires a form: runs the action, then renders the page again; a failure shows in place. */
export function onSubmit(selector: string, action: (form: HTMLFormElement) => Promise<unknown>, rerender: () => Promise<void>): void {
  root().querySelector<HTMLFormElement>(selector)!.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await action(event.currentTarget as HTMLFormElement);
      await rerender();
    } catch (error) {
      showError(root(), error);
    }
  });
}

/** Wires each row's [data-action="delete"] button to DELETE /<collection>/<row id>, after a confirmation. */
export function onDelete(collection: string, question: string, rerender: () => Promise<void>): void {
  for (const button of root().querySelectorAll<HTMLButtonElement>('[data-action="delete"]')) {
    button.addEventListener('click', async () => {
      if (!confirm(question)) return;
      try {
        await api('DELETE', `/${collection}/${encodeURIComponent(button.closest('tr')!.dataset.id!)}`);
        await rerender();
      } catch (error) {
        showError(root(), error);
      }
    });
  }
}
