import { checkAgainstDocument } from './openapiConformance.js';

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** fetch, with the body parsed as JSON (or kept as text when it is not JSON); a response its API's OpenAPI document does not declare throws. */
export async function request(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const result = { status: response.status, headers: response.headers, body };
  await checkAgainstDocument(url, init.method ?? 'GET', result);
  return result;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** A Bearer header for an application's credentials, from POST /token. */
export async function bearerFor(wsUrl: string, clientId: string, clientSecret: string, scope?: string): Promise<{ Authorization: string }> {
  const issued = await request(`${wsUrl}/token`, {
    method: 'POST',
    headers: { Authorization: basic(clientId, clientSecret), 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  if (issued.status !== 200) throw new Error(`POST /token answered ${issued.status}: ${JSON.stringify(issued.body)}`);
  return { Authorization: `Bearer ${issued.body.access_token as string}` };
}
