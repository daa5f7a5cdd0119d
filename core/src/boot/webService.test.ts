import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import winston from 'winston';
import type { IdentityModels } from '../identity/models.js';
import { pluginApiDescription } from '../openapi/pluginApi.js';
import type { Plugin, PluginParts } from '../plugins/contract.js';
import { RouteGroups } from '../plugins/routeGroups.js';
import type { Platform } from './platform.js';
import { createWebServiceApp } from './webService.js';

/** Only what createWebServiceApp reads: no database, the Bearer check is never reached with a token here. */
function platformWith(declare: (routes: RouteGroups) => PluginParts): Platform {
  const routes = new RouteGroups('demo', ['demo', 'demo.admin']);
  const parts = declare(routes);
  const plugin: Plugin = {
    name: 'demo',
    scopes: [
      { id: 'demo', description: 'demo' },
      { id: 'demo.admin', description: 'demo admin' },
    ],
    setup: () => parts,
  };
  return {
    conf: { server: { trustProxy: false, maxBodyBytes: 1024, ws: { accessTokenLifetimeSeconds: 60 } } },
    logger: winston.createLogger({ silent: true }),
    models: {} as IdentityModels,
    bearer: async () => undefined,
    plugins: [{ plugin, parts, routes, api: pluginApiDescription('demo'), logger: winston.createLogger({ silent: true }) }],
  } as unknown as Platform;
}

/** X-Demo: <scope> authenticates with that one scope. */
const headerKey = async (ctx: { get(name: string): string }) => {
  const scope = ctx.get('X-Demo');
  return scope ? { applicationId: '', clientId: '', scopes: [scope], scheme: 'demo', subject: 'user:1' } : undefined;
};

async function listen(platform: Platform): Promise<{ server: Server; url: string }> {
  const server = createServer(createWebServiceApp(platform).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('web service: webServicePublic routes', () => {
  let server: Server;
  let url: string;

  before(async () => {
    ({ server, url } = await listen(
      platformWith((routes) => {
        routes.webServicePublic().post('/api/login', (ctx) => {
          ctx.body = { module: ctx.state.module, principal: ctx.state.principal ?? null };
        });
        routes
          .webService({ scope: 'demo' })
          .get('/api/private', (ctx) => {
            ctx.body = { subject: ctx.state.principal?.subject };
          })
          .get('/api/login', (ctx) => {
            ctx.body = { guarded: true };
          });
        return { webServiceAuth: [headerKey] };
      }),
    ));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a public route without credentials, under the plugin prefix and module name', async () => {
    const response = await fetch(`${url}/demo/api/login`, { method: 'POST' });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ module: 'demo', principal: null });
  });

  it('keeps every other route of the plugin behind authentication, even on a public path with another method', async () => {
    for (const path of ['/demo/api/private', '/demo/api/login', '/demo/api/unknown']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).to.equal(401);
    }
  });

  it('still lets an authenticated caller reach the guarded routes', async () => {
    const response = await fetch(`${url}/demo/api/login`, { headers: { 'X-Demo': 'demo' } });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ guarded: true });
    const privateResponse = await fetch(`${url}/demo/api/private`, { headers: { 'X-Demo': 'demo' } });
    expect(await privateResponse.json()).to.deep.equal({ subject: 'user:1' });
  });
});

describe('web service: route groups with their own scope', () => {
  let server: Server;
  let url: string;

  before(async () => {
    ({ server, url } = await listen(
      platformWith((routes) => {
        const nested = new Router({ prefix: '/api/files' }).get('/', (ctx) => {
          ctx.body = { files: [] };
        });
        routes.webService({ scope: 'demo' }).use(nested.routes());
        routes
          .webService({ scope: 'demo.admin' })
          .get('/api/stats', (ctx) => {
            ctx.body = { stats: true };
          })
          .all('/api/uploads', (ctx) => {
            ctx.body = { method: ctx.method };
          });
        return { webServiceAuth: [headerKey] };
      }),
    ));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("applies each group's scope to its own routes only", async () => {
    const files = await fetch(`${url}/demo/api/files`, { headers: { 'X-Demo': 'demo' } });
    expect(files.status).to.equal(200);
    expect(await files.json()).to.deep.equal({ files: [] });
    const stats = await fetch(`${url}/demo/api/stats`, { headers: { 'X-Demo': 'demo' } });
    expect(stats.status).to.equal(403);
    expect(((await stats.json()) as { error: { code: string } }).error.code).to.equal('insufficient_scope');
    const adminStats = await fetch(`${url}/demo/api/stats`, { headers: { 'X-Demo': 'demo.admin' } });
    expect(await adminStats.json()).to.deep.equal({ stats: true });
    const adminFiles = await fetch(`${url}/demo/api/files`, { headers: { 'X-Demo': 'demo.admin' } });
    expect(adminFiles.status).to.equal(403);
  });

  it('lets a CORS preflight through the group guard, as through authentication', async () => {
    const response = await fetch(`${url}/demo/api/uploads`, { method: 'OPTIONS' });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ method: 'OPTIONS' });
  });

  it('answers a known path with another method 405, and an unknown path 404, once authenticated', async () => {
    const wrongMethod = await fetch(`${url}/demo/api/stats`, { method: 'DELETE', headers: { 'X-Demo': 'demo.admin' } });
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.get('allow')).to.include('GET');
    const unknown = await fetch(`${url}/demo/api/nothing`, { headers: { 'X-Demo': 'demo' } });
    expect(unknown.status).to.equal(404);
  });

  it('tells a caller without a token nothing about which routes exist', async () => {
    for (const path of ['/demo/api/files', '/demo/api/stats', '/demo/api/nothing']) {
      expect((await fetch(`${url}${path}`)).status, path).to.equal(401);
    }
  });
});
