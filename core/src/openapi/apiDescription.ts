import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { openapiDocument, type OpenApiDocument } from './openapiDocument.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One answer of an operation: its body's schema (none for an empty body) and the media type when not JSON. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

/** The schemes a caller may authenticate with, by name of the API's security schemes; [] for none. */
export type SecurityRequirement = string[];

export interface OperationSpec {
  method: HttpMethod;
  /** Below the API's root, OpenAPI's template form: `/sessions/{sessionId}`. */
  path: string;
  /** Another root for this operation: OpenVidu Pro's /pro routes beside /openvidu/api. */
  root?: string;
  summary: string;
  /** The JSON body schema the route parses its request with. */
  body?: z.ZodType;
  /** Other media types the same body is accepted as (a form for /token). */
  bodyContentTypes?: string[];
  /** false when the body is taken only as `bodyContentTypes`, not as JSON (a multipart upload). */
  jsonBody?: boolean;
  /** Whether a request must carry a body (OpenVidu's optional bodies are not). */
  bodyRequired?: boolean;
  /** The query parameters the route reads, as one object schema. */
  query?: z.ZodObject;
  /** Success answers by status; the API's error statuses are added from `errors`. */
  responses: Record<number, ResponseSpec>;
  /** Error statuses this operation answers besides the API's common ones, in the API's error shape. */
  errors?: number[];
  /** Overrides the API's default security (`[]`: no credentials). */
  security?: SecurityRequirement[];
}

export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
  /** Where the API's paths start: `/openvidu/api`; '' for the root. */
  root: string;
  /** Where the document is served; `<root>/openapi.json` unless said. */
  documentPath?: string;
  /** OpenAPI security schemes by name, and which of them every operation accepts unless it says otherwise. */
  securitySchemes?: Record<string, Record<string, unknown>>;
  security?: SecurityRequirement[];
  /** The API's own error body, and the statuses every operation may answer with it (401 for a guarded API…). */
  errorSchema: z.ZodType;
  /** Statuses whose error body has another shape (the Bearer check's 401s…): served as `Error<status>`. */
  errorSchemas?: Record<number, z.ZodType>;
  commonErrors?: number[];
}

/** `/sessions/{sessionId}` as @koa/router writes it. */
export const koaPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * What an API serves, described by the same zod schemas its routes validate with, so that the OpenAPI document
 * served at `<root>/openapi.json` cannot drift from the code.
 */
export class ApiDescription {
  private readonly operations: OperationSpec[] = [];
  private document?: OpenApiDocument;

  constructor(private info: ApiInfo) {}

  /** Changes what the API says of itself: a plugin imitating another API names it, its auth schemes and error shape. */
  amend(info: Partial<Omit<ApiInfo, 'root' | 'documentPath'>>): void {
    this.info = { ...this.info, ...info };
    this.document = undefined;
  }

  get documentPath(): string {
    return this.info.documentPath ?? `${this.info.root}/openapi.json`;
  }

  /** Adds an operation to the document; returns it so a route can read its schemas. */
  describe<O extends OperationSpec>(operation: O): O {
    if (this.operations.some((o) => o.method === operation.method && o.path === operation.path && o.root === operation.root)) throw new Error(`${operation.method.toUpperCase()} ${operation.root ?? ''}${operation.path} is described twice`);
    this.operations.push(operation);
    this.document = undefined;
    return operation;
  }

  /** Registers the route on the router and describes it in one step. */
  route(router: Router, operation: OperationSpec, ...handlers: Middleware[]): Router {
    this.describe(operation);
    router.register(koaPath(operation.path), [operation.method], handlers as Parameters<Router['register']>[2]);
    return router;
  }

  list(): readonly OperationSpec[] {
    return this.operations;
  }

  openapi(): OpenApiDocument {
    this.document ??= openapiDocument(this.info, this.operations);
    return this.document;
  }

  /** The route serving the document: GET `<root>/openapi.json`, without credentials. */
  documentRoute(): Middleware {
    // Every request of the process passes here: no async frame for the ones it lets through.
    return (ctx, next) => {
      if (ctx.path !== this.documentPath || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = this.openapi();
      return Promise.resolve();
    };
  }
}
