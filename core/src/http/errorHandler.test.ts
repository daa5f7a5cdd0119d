import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import winston from 'winston';
import { OAuthError } from '../errors.js';
import { errorFields } from '../log/errorFormat.js';
import { createApp } from './createApp.js';

const DATABASE_AWAY = 'connect ECONNREFUSED 127.0.0.1:43687';

describe('errorHandler: 500s', () => {
  const lines: Record<string, any>[] = [];
  let server: http.Server;
  let url = '';

  before(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const logger = winston.createLogger({ format: winston.format.combine(errorFields(), winston.format.json()), transports: [new winston.transports.Stream({ stream: sink })] });
    const app = createApp({ logger, trustProxy: false, maxBodyBytes: 1024 });
    app.use((ctx) => {
      const cause = Object.assign(new Error(DATABASE_AWAY), { code: 'ECONNREFUSED' });
      if (ctx.path === '/token') throw Object.assign(new OAuthError(500, 'server_error', DATABASE_AWAY), { cause });
      throw cause;
    });
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  for (const route of ['/token', '/anything']) {
    it(`answers ${route} with a generic message and a request id, and logs the cause under that id`, async () => {
      const response = await fetch(`${url}${route}`);
      expect(response.status).to.equal(500);
      const text = await response.text();
      expect(text).to.not.contain('ECONNREFUSED').and.not.contain('127.0.0.1');
      const requestId = response.headers.get('x-request-id')!;
      expect(requestId).to.match(/^[0-9a-f-]{36}$/);
      expect(text).to.contain(requestId);
      const logged = lines.find((line) => line.requestId === requestId)!;
      expect(JSON.stringify(logged.error)).to.contain(DATABASE_AWAY);
    });
  }
});
