import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { healthRoute } from './healthRoute.js';

describe('health route', () => {
  let server: Server;
  let base: string;
  let failing: Error | undefined;
  const logged: unknown[] = [];

  before(async () => {
    const app = new Koa();
    app.use(healthRoute('demo', async () => {
      if (failing) throw failing;
    }, (error) => logged.push(error)));
    app.use(healthRoute('plain', undefined, (error) => logged.push(error)));
    app.use((ctx) => {
      ctx.body = { fallthrough: ctx.path };
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
  });

  it('answers ok for each plugin, with or without a check of its own', async () => {
    failing = undefined;
    for (const plugin of ['demo', 'plain']) {
      const response = await fetch(`${base}/${plugin}/health`);
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ plugin, status: 'ok' });
    }
  });

  it('answers 503 when the plugin check fails, and logs why', async () => {
    failing = new Error('queue unreachable');
    const response = await fetch(`${base}/demo/health`);
    expect(response.status).to.equal(503);
    expect(await response.json()).to.deep.equal({ plugin: 'demo', status: 'unavailable' });
    expect(logged).to.deep.equal([failing]);
  });

  it('leaves other paths and methods to the routes after it', async () => {
    expect(await (await fetch(`${base}/demo/health/more`)).json()).to.deep.equal({ fallthrough: '/demo/health/more' });
    expect(await (await fetch(`${base}/demo/health`, { method: 'POST' })).json()).to.deep.equal({ fallthrough: '/demo/health' });
  });
});
