import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from './support/http.js';

/** request() checks every response of a described API against its document: a server that strays makes it throw. */
describe('test support: responses checked against their OpenAPI document', () => {
  const document = {
    openapi: '3.1.0',
    info: { title: 'conformance', version: '1' },
    paths: {
      '/openvidu/api/items/start': { post: { responses: { 204: { description: 'started' } } } },
      '/openvidu/api/items/{id}': { get: { responses: { 204: { description: 'found' } } } },
      '/token': {
        post: {
          responses: {
            200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { access_token: { type: 'string' } }, required: ['access_token'], additionalProperties: false } } } },
            400: { description: 'bad', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
    },
    components: { schemas: { Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'], additionalProperties: false } } },
  };
  let answer: { status: number; body: unknown };
  let server: http.Server;
  let url: string;

  before(async () => {
    server = http.createServer((req, res) => {
      const { status, body } = req.url?.endsWith('/openapi.json') ? { status: 200, body: document } : answer;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const post = (path = '/token') => request(`${url}${path}`, { method: 'POST' });

  it('passes a declared status with a body its schema takes, errors included', async () => {
    answer = { status: 200, body: { access_token: 'a' } };
    expect((await post()).body).to.deep.equal({ access_token: 'a' });
    answer = { status: 400, body: { error: 'invalid_request' } };
    expect((await post()).status).to.equal(400);
  });

  it('fails a body with a field the document does not declare, or without one it requires', async () => {
    answer = { status: 200, body: { access_token: 'a', secret: 'leak' } };
    await expectRejection(post(), /POST \/token answered 200 .*breaks \/openapi\.json.*additional properties/);
    answer = { status: 200, body: {} };
    await expectRejection(post(), /must have required property 'access_token'/);
    answer = { status: 400, body: { message: 'another shape' } };
    await expectRejection(post(), /POST \/token answered 400 .*breaks \/openapi\.json/);
  });

  it('takes a literal path before a template that lacks the method (/items/start, /items/{id})', async () => {
    answer = { status: 204, body: undefined };
    expect((await post('/openvidu/api/items/start')).status).to.equal(204);
    expect((await request(`${url}/openvidu/api/items/start`)).status).to.equal(204);
    answer = { status: 200, body: {} };
    await expectRejection(post('/openvidu/api/items/start'), /status 200 is not declared for POST \/openvidu\/api\/items\/start/);
  });

  it('fails a status the operation does not declare', async () => {
    answer = { status: 201, body: { access_token: 'a' } };
    await expectRejection(post(), /status 201 is not declared for POST \/token/);
  });

  it('fails a path or a method the document does not describe unless it is refused in the error shape', async () => {
    answer = { status: 200, body: {} };
    await expectRejection(post('/revoke'), /the path is not in \/openapi\.json/);
    await expectRejection(request(`${url}/token`), /the method is not in \/openapi\.json/);
    answer = { status: 405, body: { error: 'method_not_allowed' } };
    expect((await request(`${url}/token`)).status).to.equal(405);
    answer = { status: 405, body: 'Method Not Allowed' };
    await expectRejection(request(`${url}/token`), /not the API's error shape/);
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const outcome = await promise.then(
    () => undefined,
    (error: Error) => error,
  );
  expect(outcome, 'the response was accepted').to.be.instanceOf(Error);
  expect((outcome as Error).message).to.match(message);
}
