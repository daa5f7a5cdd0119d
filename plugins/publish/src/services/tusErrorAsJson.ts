import { STATUS_CODES } from 'node:http';

/** The body of an error in the API's shape, from its status and message. */
export type ErrorBody = (status: number, code: string, message: string) => unknown;

/**
 * tus answers its own refusals (412 without Tus-Resumable, 409 on an offset conflict, 400 on a bad header…) as plain
 * text: the same answer with the text as the message of a JSON error body in the API's shape. tus-js-client reads only
 * the status and the body's text, which it reports as is.
 */
export async function tusErrorAsJson(response: Response, errorBody: ErrorBody): Promise<Response> {
  if (response.status < 400 || response.headers.get('content-type')?.startsWith('application/json')) return response;
  const reason = STATUS_CODES[response.status] ?? 'Error';
  const message = (await response.text()).trim() || reason;
  const json = JSON.stringify(errorBody(response.status, reason.toLowerCase().replace(/[^a-z0-9]+/g, '_'), message));
  const headers = new Headers(response.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set('Content-Length', String(Buffer.byteLength(json)));
  return new Response(json, { status: response.status, headers });
}
