import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { ApiInfo, OperationSpec } from './apiDescription.js';

export type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & { openapi: '3.1.0'; paths: Record<string, Record<string, unknown>> };

/**
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect). Requests are described as the route accepts them (input), answers as
 * they leave (output: objects closed, so a field the schema does not declare breaks the document).
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

const JSON_TYPE = 'application/json';

function parameters(operation: OperationSpec): JsonSchema[] {
  const inPath = [...operation.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!operation.query) return inPath;
  const query = jsonSchema(operation.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: query.required?.includes(name) ?? false, schema }));
  return [...inPath, ...inQuery];
}

function responses(info: ApiInfo, operation: OperationSpec): Record<string, JsonSchema> {
  const answers: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    answers[status] = spec.schema
      ? { description: spec.description, content: { [spec.contentType ?? JSON_TYPE]: { schema: jsonSchema(spec.schema, 'output') } } }
      : { description: spec.description };
  }
  const guarded = (operation.security ?? info.security ?? []).some((requirement) => requirement.length > 0);
  const errors = new Set([...(info.commonErrors ?? []).filter((status) => guarded || (status !== 401 && status !== 403)), ...(operation.errors ?? [])]);
  for (const status of [...errors].sort()) {
    const component = info.errorSchemas?.[status] ? `Error${status}` : 'Error';
    answers[String(status)] ??= { description: STATUS_CODES[status] ?? 'Error', content: { [JSON_TYPE]: { schema: { $ref: `#/components/schemas/${component}` } } } };
  }
  // The core's outage guard answers any request 503 while the database is away, in the API's error shape.
  answers['503'] ??= {
    description: 'The database is unavailable for the moment: try again after Retry-After seconds',
    headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'string' } } },
    content: { [JSON_TYPE]: { schema: { $ref: `#/components/schemas/${info.errorSchemas?.[503] ? 'Error503' : 'Error'}` } } },
  };
  // Node's HTTP parser answers a request line or headers past its limit itself, before any route and without a body.
  answers['431'] ??= { description: 'Request header fields (or URL) too large: answered by the HTTP server, without a body' };
  return answers;
}

function requestBody(operation: OperationSpec): JsonSchema | undefined {
  if (!operation.body) return undefined;
  const schema = jsonSchema(operation.body, 'input');
  const types = [...(operation.jsonBody === false ? [] : [JSON_TYPE]), ...(operation.bodyContentTypes ?? [])];
  return { required: operation.bodyRequired ?? true, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
}

/** The OpenAPI 3.1 document of an API's operations. */
export function openapiDocument(info: ApiInfo, operations: readonly OperationSpec[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    const path = `${operation.root ?? info.root}${operation.path}`;
    const body = requestBody(operation);
    const params = parameters(operation);
    (paths[path] ??= {})[operation.method] = {
      operationId: `${operation.method}${`${operation.root ?? ''}${operation.path}`.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
      summary: operation.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responses(info, operation),
      ...(operation.security ? { security: operation.security.map((names) => Object.fromEntries(names.map((name) => [name, []]))) } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}) },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: {
        Error: jsonSchema(info.errorSchema, 'output'),
        ...Object.fromEntries(Object.entries(info.errorSchemas ?? {}).map(([status, schema]) => [`Error${status}`, jsonSchema(schema, 'output')])),
      },
      ...(info.securitySchemes ? { securitySchemes: info.securitySchemes } : {}),
    },
    ...(info.security ? { security: info.security.map((names) => Object.fromEntries(names.map((name) => [name, []]))) } : {}),
  };
}
