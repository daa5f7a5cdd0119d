import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import { request, type JsonResponse } from './http.js';
import { checkAgainstDocument } from './openapiConformance.js';

/** node:http, because fetch refuses the GET bodies the Python sample sends. */
function rawRequest(url: string, method: string, headers: Record<string, string>, body: string): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON
        }
        const response = { status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body: parsed };
        // Checked against the API's document as request() checks the others.
        checkAgainstDocument(url, method, response).then(() => resolve(response), reject);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Python's json.dumps with its default separators (", " and ": ") and ensure_ascii, as the reference's Python sample sends. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as object).map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** datetime.utcnow().strftime("%a, %d %b %Y %H:%M:%S") + " UTC" */
export function pythonDate(at = new Date()): string {
  return `${DAYS[at.getUTCDay()]}, ${two(at.getUTCDate())} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} UTC`;
}

/** Java's SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz") in a JVM running on GMT. */
export function javaDate(at = new Date()): string {
  return at.toUTCString();
}

export type SigningStyle = 'python' | 'java';

export interface WevCallOptions {
  body?: unknown;
  /** Sign these bytes instead of the body sent (a tampered body). */
  signedBody?: string;
  date?: string;
  /** Sign this URL instead of the one requested. */
  signedUrl?: string;
  headers?: Record<string, string>;
}

/**
 * A partner's client signing as the reference's samples do:
 * StringToSign = METHOD \n MD5-hex(body) \n Date \n full URL; Authorization: WEV <apiKey>:<Base64(HMAC-SHA256)>.
 * The Python sample sends a json.dumps body even with GET; the Java one signs "" and sends none.
 */
export function wevClient(baseUrl: string, apiKey: string, secret: string, style: SigningStyle = 'python') {
  const signed = new Set<string>();
  /**
   * The server accepts a changing request's signature once (a replay is 401; reads may repeat), and Date counts whole
   * seconds: a client sending the same changing request again within a second signs the next second, within the window.
   */
  const freshDate = (method: string, url: string, body: string) => {
    const repeatable = method === 'GET' || method === 'HEAD';
    for (let at = Date.now(); ; at += 1000) {
      const date = style === 'python' ? pythonDate(new Date(at)) : javaDate(new Date(at));
      const key = `${method}\n${url}\n${body}\n${date}`;
      if (repeatable || !signed.has(key)) return signed.add(key), date;
    }
  };
  return async (method: string, path: string, options: WevCallOptions = {}): Promise<JsonResponse> => {
    const url = `${baseUrl}${path}`;
    const body = options.body === undefined ? '' : style === 'python' ? pythonJsonDumps(options.body) : JSON.stringify(options.body);
    const date = options.date ?? freshDate(method, url, body);
    const md5 = createHash('md5').update(options.signedBody ?? body, 'utf8').digest('hex');
    const toSign = `${method}\n${md5}\n${date}\n${options.signedUrl ?? url}`;
    const signature = createHmac('sha256', secret).update(toSign, 'utf8').digest('base64');
    const headers: Record<string, string> = { Date: date, Authorization: `WEV ${apiKey}:${signature}`, Accept: 'application/json', ...options.headers };
    if (body) headers['Content-Type'] = 'application/json';
    if (body && (method === 'GET' || method === 'HEAD')) return rawRequest(url, method, headers, body);
    return request(url, { method, headers, ...(body ? { body } : {}) });
  };
}

/** Authorization: WEVSIMPLE <secret>, as the reference's curl examples. */
export function wevSimpleClient(baseUrl: string, secret: string) {
  return (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
    request(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `WEVSIMPLE ${secret}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
