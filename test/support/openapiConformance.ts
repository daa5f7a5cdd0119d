import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Every response of an API the platform describes must be one its OpenAPI document declares: its path and method, its
 * status, and its body's schema. request() (support/http.ts) checks each response here, so every e2e test checks it.
 */

interface DescribedApi {
  /** Whether a path belongs to the API. */
  owns(path: string): boolean;
  /** Where the API serves its document. */
  document: string;
}

const isTusPath = (path: string) => /^\/publish\/api\/uploads(\/[^/]*)?$/.test(path) && path !== '/publish/api/uploads/sessions';

const DESCRIBED_APIS: DescribedApi[] = [
  { owns: (path) => path === '/token' || path === '/revoke', document: '/openapi.json' },
  // OpenVidu on the live port: /openvidu/api and Pro's /pro.
  { owns: (path) => (path.startsWith('/openvidu/api/') && path !== '/openvidu/api/openapi.json') || path.startsWith('/pro/'), document: '/openvidu/api/openapi.json' },
  // publish's OpenVeo routes and its VideoCMS API; tus (/publish/api/uploads and below, but its sessions and finalize) speaks its own protocol.
  {
    owns: (path) =>
      path === '/publish/videos' || path.startsWith('/publish/videos/') || (path.startsWith('/publish/api/') && path !== '/publish/api/openapi.json' && !isTusPath(path)),
    document: '/publish/api/openapi.json',
  },
  // WeVideo's API. The editor's pages (/editor/api/3/editor…, /editor/api/3/sso/login…) are the browser's, on the
  // public port (which serves no document); /editor/api/4/editor/withfile is the web service's.
  { owns: (path) => /^\/editor\/api\/[34]\//.test(path) && !/^\/editor\/api\/3\/(editor|sso\/login)(\/|$)/.test(path), document: '/editor/api/openapi.json' },
];

type Json = Record<string, any>;
interface Document {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
}

/** undefined: the origin serves no such document (the public port serves the editor's pages below the same prefix). */
const documents = new Map<string, Promise<Document | undefined>>();
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

function documentAt(url: string): Promise<Document | undefined> {
  let document = documents.get(url);
  if (!document) {
    document = fetch(url).then(async (response) => {
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      return (await response.json()) as Document;
    });
    documents.set(url, document);
    // A server that was not up yet may serve it on the next try.
    document.catch(() => documents.delete(url));
  }
  return document;
}

/** Resolves the document's own `#/components/schemas/…` references, which ajv does not see outside the document. */
function resolved(schema: Json, document: Document): Json {
  const ref = schema.$ref as string | undefined;
  if (ref?.startsWith('#/components/schemas/')) return document.components.schemas[ref.slice('#/components/schemas/'.length)]!;
  return schema;
}

function validate(schema: Json, body: unknown): string | undefined {
  const key = JSON.stringify(schema);
  let validator = validators.get(key);
  if (!validator) {
    validator = ajv.compile(schema);
    validators.set(key, validator);
  }
  return validator(body) ? undefined : ajv.errorsText(validator.errors, { separator: '; ' });
}

const templateRegExp = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
const parameterCount = (template: string) => (template.match(/\{/g) ?? []).length;

/** The documented path a request path falls on, preferring literal segments (/recordings/start over /recordings/{id}). */
function documentedPath(document: Document, path: string, method: string): string | undefined {
  const candidates = Object.keys(document.paths).filter((template) => templateRegExp(template).test(path));
  candidates.sort((a, b) => Number(!document.paths[a]![method]) - Number(!document.paths[b]![method]) || parameterCount(a) - parameterCount(b));
  return candidates[0];
}

export interface CheckedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Throws when the response is not one the API's document declares; responses of undescribed APIs pass. */
export async function checkAgainstDocument(url: string, requestMethod: string, response: CheckedResponse): Promise<void> {
  const { origin, pathname } = new URL(url);
  const api = DESCRIBED_APIS.find((candidate) => candidate.owns(pathname));
  if (!api) return;
  const document = await documentAt(`${origin}${api.document}`);
  if (!document) return;
  const method = requestMethod.toLowerCase() === 'head' ? 'get' : requestMethod.toLowerCase();
  const where = `${requestMethod.toUpperCase()} ${pathname} answered ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
  const errorSchema = document.components.schemas.Error!;
  const template = documentedPath(document, pathname, method);
  const operation = template ? document.paths[template]![method] : undefined;
  if (!operation) {
    // An undocumented path or method may only be refused, in the API's error shape.
    const allowed = template ? [401, 404, 405] : [401, 404];
    if (!allowed.includes(response.status)) throw new Error(`${where}: ${template ? 'the method' : 'the path'} is not in ${api.document}`);
    const schema = document.components.schemas[`Error${response.status}`] ?? errorSchema;
    // An answer to HEAD or OPTIONS has no body to check.
    const problem = requestMethod.toUpperCase() === 'HEAD' || method === 'options' ? undefined : validate(schema, response.body);
    if (problem) throw new Error(`${where}: not the API's error shape: ${problem}`);
    return;
  }
  const declared = (operation.responses[String(response.status)] ?? operation.responses.default) as Json | undefined;
  if (!declared) throw new Error(`${where}: status ${response.status} is not declared for ${method.toUpperCase()} ${template} in ${api.document}`);
  const content = declared.content as Record<string, { schema: Json }> | undefined;
  if (!content || requestMethod.toUpperCase() === 'HEAD') {
    if (content === undefined && response.body !== undefined && response.body !== '') throw new Error(`${where}: ${api.document} declares no body`);
    return;
  }
  const [mediaType, { schema }] = Object.entries(content)[0]!;
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith(mediaType)) throw new Error(`${where}: Content-Type ${contentType}, ${api.document} declares ${mediaType}`);
  const problem = validate(resolved(schema, document), response.body);
  if (problem) throw new Error(`${where}: the body breaks ${api.document}: ${problem}`);
}
