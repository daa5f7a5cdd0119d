import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { HttpError } from '../errors.js';
import { mountGroups } from '../http/mount.js';
import { RouteGroups } from './routeGroups.js';

/** X-Permissions: a,b signs the caller in with those permissions; no header, not signed in. */
function backOfficeApp(routes: RouteGroups): Koa {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = error instanceof HttpError ? error.status : 500;
      ctx.body = { error: (error as Error).message };
    }
  });
  app.use(async (ctx, next) => {
    const permissions = ctx.get('X-Permissions');
    if (permissions) ctx.state.user = { id: '1', email: 'a@example.org', name: 'A', permissions: new Set(permissions.split(',')), credentialsStamp: '' };
    await next();
  });
  app.use(mountGroups('/be/demo', routes.groups.backOffice));
  app.use(mountGroups('/demo', routes.groups.public));
  return app;
}

describe('plugin route groups', () => {
  let server: Server;
  let url: string;
  const get = (path: string, permissions?: string) => fetch(`${url}${path}`, { headers: permissions ? { 'X-Permissions': permissions } : {} });

  before(async () => {
    const routes = new RouteGroups('demo', []);
    routes.backOffice().get('/', (ctx) => {
      ctx.body = { page: 'home' };
    });
    routes.backOffice({ permission: 'demo.manage' }).get('/manage', (ctx) => {
      ctx.body = { page: 'manage' };
    });
    routes.backOffice({ permission: 'demo.audit' }).get('/audit', (ctx) => {
      ctx.body = { page: 'audit' };
    });
    routes.public().get('/ping', (ctx) => {
      ctx.body = { pong: true };
    });
    server = createServer(backOfficeApp(routes).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('mounts each surface below the prefix the core owns for it', async () => {
    expect(await (await get('/be/demo', 'demo.manage')).json()).to.deep.equal({ page: 'home' });
    expect(await (await get('/demo/ping')).json()).to.deep.equal({ pong: true });
    expect((await get('/ping')).status).to.equal(404);
  });

  it("guards every route of a back-office group with the group's permission", async () => {
    expect((await get('/be/demo/manage', 'demo.audit')).status).to.equal(403);
    expect((await get('/be/demo/manage')).status).to.equal(401);
    expect(await (await get('/be/demo/manage', 'demo.manage')).json()).to.deep.equal({ page: 'manage' });
  });

  it('refuses a web-service group guarded by a scope the plugin does not declare', () => {
    expect(() => new RouteGroups('demo', ['demo']).webService({ scope: 'publish' })).to.throw('"publish"');
  });

  it("does not let one group's guard stand in the way of another group's routes", async () => {
    expect(await (await get('/be/demo/audit', 'demo.audit')).json()).to.deep.equal({ page: 'audit' });
    expect(await (await get('/be/demo', 'demo.audit')).json()).to.deep.equal({ page: 'home' });
  });
});
