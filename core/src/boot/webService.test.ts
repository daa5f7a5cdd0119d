import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import winston from 'winston';
import type { IdentityModels } from '../identity/models.js';
import type { Plugin, PluginParts } from '../plugins/contract.js';
import type { Platform } from './platform.js';
import { createWebServiceApp } from './webService.js';

/** Only what createWebServiceApp reads: no database, the Bearer check is never reached with a token here. */
function platformWith(parts: PluginParts): Platform {
  const plugin: Plugin = { name: 'demo', scopes: [{ id: 'demo', description: 'demo' }], setup: () => parts };
  return {
    conf: { server: { trustProxy: false, maxBodyBytes: 1024, ws: { accessTokenLifetimeSeconds: 60 } } },
    logger: winston.createLogger({ silent: true }),
    models: {} as IdentityModels,
    bearer: async () => undefined,
    plugins: [{ plugin, parts, logger: winston.createLogger({ silent: true }) }],
  } as unknown as Platform;
}

describe('web service: webServicePublic routes', () => {
  let server: Server;
  let url: string;

  before(async () => {
    const publicRoutes = new Router().post('/api/login', (ctx) => {
      ctx.body = { module: ctx.state.module, principal: ctx.state.principal ?? null };
    });
    const webService = new Router()
      .get('/api/private', (ctx) => {
        ctx.body = { subject: ctx.state.principal.subject };
      })
      .get('/api/login', (ctx) => {
        ctx.body = { guarded: true };
      });
    const letterKey = async (ctx: { get(name: string): string }) =>
      ctx.get('X-Demo') === 'letmein' ? { applicationId: '', clientId: '', scopes: ['demo'], scheme: 'demo', subject: 'user:1' } : undefined;
    server = createServer(createWebServiceApp(platformWith({ webService, webServicePublic: publicRoutes, webServiceAuth: [letterKey] })).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    const response = await fetch(`${url}/demo/api/login`, { headers: { 'X-Demo': 'letmein' } });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ guarded: true });
    const privateResponse = await fetch(`${url}/demo/api/private`, { headers: { 'X-Demo': 'letmein' } });
    expect(await privateResponse.json()).to.deep.equal({ subject: 'user:1' });
  });
});
