/** What the plugin's back-office pages share: escaping, and JSON calls to the plugin's back-office API with the CSRF token. */

const csrfToken = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export function csrfHeaders(): Record<string, string> {
  return { 'X-CSRF-Token': csrfToken };
}

/** `base` is where the server mounted the plugin's back-office routes (/be/<plugin>); a non-JSON answer ("ok") reads as null. */
export async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { Accept: 'application/json', ...csrfHeaders(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) throw new Error(payload?.error?.message ?? `Request failed (${response.status})`);
  return payload as T;
}
