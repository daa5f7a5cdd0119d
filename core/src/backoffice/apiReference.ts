import { revokeOperation, tokenApi, tokenOperation } from '../auth/tokenApi.js';
import type { ApiDescription } from '../openapi/apiDescription.js';
import type { OpenApiDocument } from '../openapi/openapiDocument.js';
import { escapeHtml } from './html.js';

export interface ReferencedApi {
  /** In the reference's URL: /be/api-reference/<name>. */
  name: string;
  description: ApiDescription;
}

/** The web service's documents: the core's tokens and each plugin's API that describes an operation. */
export function referencedApis(plugins: { plugin: { name: string }; api?: ApiDescription }[]): ReferencedApi[] {
  const tokens = tokenApi();
  tokens.describe(tokenOperation);
  tokens.describe(revokeOperation);
  return [{ name: 'core', description: tokens }, ...plugins.flatMap(({ plugin, api }) => (api?.list().length ? [{ name: plugin.name, description: api }] : []))];
}

type Json = Record<string, any>;

export const titleOf = (document: OpenApiDocument) => String((document.info as Json).title);
const json = (value: unknown) => `<pre><code>${escapeHtml(JSON.stringify(value, null, 2))}</code></pre>`;

function parametersHtml(parameters: Json[] | undefined): string {
  if (!parameters?.length) return '';
  const rows = parameters.map((p) => `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${json(p.schema)}</td></tr>`).join('');
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function contentHtml(content: Json | undefined): string {
  return Object.entries(content ?? {})
    .map(([type, { schema }]) => `<p><code>${escapeHtml(type)}</code></p>${json(schema)}`)
    .join('');
}

function operationHtml(path: string, method: string, operation: Json): string {
  const body = operation.requestBody ? `<h4>Request body${operation.requestBody.required ? '' : ' (optional)'}</h4>${contentHtml(operation.requestBody.content)}` : '';
  const responses = Object.entries(operation.responses as Json)
    .map(([status, answer]) => `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(answer.description ?? '')}${contentHtml(answer.content)}</li>`)
    .join('');
  const security = operation.security ? `<p>Credentials: ${operation.security.length && Object.keys(operation.security[0]).length ? escapeHtml(operation.security.map((s: Json) => Object.keys(s).join(' + ')).join(' or ')) : 'none'}</p>` : '';
  return `<section class="card" id="${escapeHtml(operation.operationId)}"><h3><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></h3><p>${escapeHtml(operation.summary ?? '')}</p>${security}${parametersHtml(operation.parameters)}${body}<h4>Responses</h4><ul>${responses}</ul></section>`;
}

/** An OpenAPI document as a page: its description, credentials and error body, then each operation. */
export function apiReferenceHtml(document: OpenApiDocument, documentPath: string): string {
  const info = document.info as Json;
  const components = document.components as Json;
  const schemes = Object.entries((components.securitySchemes ?? {}) as Json)
    .map(([name, scheme]) => `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(scheme.description ?? scheme.scheme ?? scheme.type)}</li>`)
    .join('');
  const operations = Object.entries(document.paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => operationHtml(path, method, operation as Json)))
    .join('');
  return `<p>${escapeHtml(info.description ?? '')}</p><p>OpenAPI 3.1 document: <code>${escapeHtml(documentPath)}</code> on the web service, without credentials.</p>
${schemes ? `<h2>Credentials</h2><ul>${schemes}</ul>` : ''}<h2>Error body</h2>${json(components.schemas.Error)}<h2>Operations</h2>${operations}`;
}
