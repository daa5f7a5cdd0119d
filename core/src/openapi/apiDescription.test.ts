import { expect } from 'chai';
import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import { ApiDescription } from './apiDescription.js';
import { describedRouter } from './describedRouter.js';

const errorSchema = z.object({ message: z.string() });
const itemSchema = z.object({ id: z.string(), size: z.number().int().nullable() });
const bodySchema = z.object({ name: z.string().regex(/^[a-z]+$/), tags: z.array(z.string()).optional() });

function describedApi(): { api: ApiDescription; router: Router } {
  const api = new ApiDescription({
    title: 'items',
    version: '1',
    root: '/api',
    securitySchemes: { basic: { type: 'http', scheme: 'basic' } },
    security: [['basic']],
    errorSchema,
    commonErrors: [400, 401],
  });
  const router = new Router();
  api.route(router, { method: 'post', path: '/items/{itemId}', summary: 'Put an item', body: bodySchema, query: z.object({ dryRun: z.string().optional() }), responses: { 200: { description: 'The item', schema: itemSchema } }, errors: [404] }, (ctx) => {
    ctx.body = { id: ctx.params.itemId, size: null };
  });
  api.route(router, { method: 'get', path: '/ping', summary: 'Ping', responses: { 204: { description: 'Up' } }, security: [[]] }, (ctx) => {
    ctx.status = 204;
  });
  return { api, router };
}

describe('ApiDescription: routes and their OpenAPI 3.1 document from the same zod schemas', () => {
  it('describes path and query parameters, the request body as accepted and the answers as they leave', () => {
    const document = describedApi().api.openapi();
    const operation = document.paths['/api/items/{itemId}']!.post as Record<string, any>;
    expect(operation.parameters).to.deep.equal([
      { name: 'itemId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'dryRun', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(operation.requestBody).to.deep.equal({ required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]+$' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name'] } } } });
    // Answers are closed: a field the schema does not declare breaks the document.
    expect(operation.responses['200'].content['application/json'].schema).to.include({ additionalProperties: false });
    expect(operation.responses['200'].content['application/json'].schema.properties.size).to.deep.equal({ anyOf: [{ type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 }, { type: 'null' }] });
    expect(Object.keys(operation.responses)).to.deep.equal(['200', '400', '401', '404', '431', '503']);
    // any route may answer 503 while the database is away, with Retry-After, in the API's error shape
    expect(operation.responses['503']).to.have.nested.property('headers.Retry-After');
    expect(operation.responses['503']).to.have.nested.property('content.application/json.schema.$ref', '#/components/schemas/Error');
    expect(operation.responses['404'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Error' });
    expect((document.components as { schemas: Record<string, { required?: string[] }> }).schemas.Error!.required).to.deep.equal(['message']);
    expect(document.security).to.deep.equal([{ basic: [] }]);
  });

  it('leaves 401 out of an operation open without credentials, and says it is open', () => {
    const operation = describedApi().api.openapi().paths['/api/ping']!.get as Record<string, any>;
    expect(Object.keys(operation.responses)).to.deep.equal(['204', '400', '431', '503']);
    expect(operation.security).to.deep.equal([{}]);
    expect(operation.responses['204']).to.deep.equal({ description: 'Up' });
  });

  it('registers the routes it describes, with their path parameters', async () => {
    const { api, router } = describedApi();
    const app = new Koa();
    app.use(api.documentRoute());
    app.use(new Router({ prefix: '/api' }).use(router.routes()).routes());
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      expect(await (await fetch(`${base}/api/items/abc`, { method: 'POST' })).json()).to.deep.equal({ id: 'abc', size: null });
      expect((await fetch(`${base}/api/ping`)).status).to.equal(204);
      const served = await fetch(`${base}/api/openapi.json`);
      expect(await served.json()).to.deep.equal(JSON.parse(JSON.stringify(api.openapi())));
    } finally {
      server.close();
    }
  });

  it('refuses to describe one operation twice', () => {
    const { api } = describedApi();
    expect(() => api.describe({ method: 'get', path: '/ping', summary: 'again', responses: {} })).to.throw('GET /ping is described twice');
  });

  it('describes an operation below a root of its own, and a body taken only in other media types', () => {
    const { api } = describedApi();
    api.describe({ method: 'get', root: '/pro', path: '/ping', summary: 'Ping, elsewhere', responses: { 204: { description: 'Up' } } });
    api.describe({ method: 'post', path: '/upload', summary: 'Upload', body: z.object({ file: z.string() }), jsonBody: false, bodyContentTypes: ['multipart/form-data'], responses: { 204: { description: 'Taken' } } });
    const document = api.openapi();
    expect((document.paths['/pro/ping']!.get as Record<string, any>).operationId).to.equal('getProPing');
    expect((document.paths['/api/ping']!.get as Record<string, any>).operationId).to.equal('getPing');
    expect(Object.keys((document.paths['/api/upload']!.post as Record<string, any>).requestBody.content)).to.deep.equal(['multipart/form-data']);
  });

  it('describedRouter: registers below its prefix and describes the full path, or only registers without a description', () => {
    const { api } = describedApi();
    const { router, route } = describedRouter('/things', api);
    route({ method: 'get', path: '/', summary: 'Things', responses: { 200: { description: 'The things' } } }, (ctx) => {
      ctx.body = [];
    });
    route({ method: 'delete', path: '/{id}', summary: 'A thing', responses: { 204: { description: 'Gone' } } }, (ctx) => {
      ctx.status = 204;
    });
    expect(Object.keys(api.openapi().paths)).to.include.members(['/api/things', '/api/things/{id}']);
    expect(router.stack.map((layer) => layer.path)).to.deep.equal(['/things', '/things/:id']);
    const bare = describedRouter('/things', undefined);
    bare.route({ method: 'get', path: '/', summary: 'Things', responses: {} }, () => undefined);
    expect(bare.router.stack.map((layer) => layer.path)).to.deep.equal(['/things']);
  });
});
