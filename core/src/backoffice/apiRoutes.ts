import Router from '@koa/router';
import type { Context } from 'koa';
import { requireAnyPermission, requirePermission } from '../auth/permissions.js';
import { BadRequestError } from '../errors.js';
import { corePermissions } from '../identity/catalog.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';
import type { BackOfficeServices } from './backOfficeServices.js';
import { requireSignedIn, signedInUser } from './signedInUser.js';

/** The JSON API behind the back-office pages, below /be/api. */
export function backOfficeApi(platform: BackOfficeServices): Router {
  const { users, roles, groups, applications, catalog } = platform;
  const api = new Router({ prefix: '/be/api' });
  api.use(requireSignedIn);

  api.get('/me', (ctx) => {
    const user = signedInUser(ctx);
    ctx.body = {
      user: { id: user.id, email: user.email, name: user.name, permissions: [...user.permissions] },
      csrfToken: ctx.state._csrf,
      plugins: platform.plugins.map(({ plugin }) => plugin.name),
    };
  });

  const actorOf = (ctx: Context) => signedInUser(ctx).permissions;
  const manageUsers = requirePermission(corePermissions.manageUsers);
  api.get('/users', manageUsers, async (ctx) => {
    ctx.body = { entities: await users.list() };
  });
  api.post('/users', manageUsers, async (ctx) => {
    ctx.status = 201;
    ctx.body = { entity: await users.create(ctx.request.body, actorOf(ctx)) };
  });
  api.patch('/users/:id', manageUsers, async (ctx) => {
    const self = ctx.params.id === signedInUser(ctx).id;
    ctx.body = { entity: await users.update(ctx.params.id!, ctx.request.body, actorOf(ctx)) };
    // A new password voids the user's sessions; the one who changed their own keeps this one.
    if (self && ctx.session) ctx.session.credentialsStamp = await users.credentialsStampOf(ctx.params.id!);
  });
  api.delete('/users/:id', manageUsers, async (ctx) => {
    if (ctx.params.id === signedInUser(ctx).id) throw new BadRequestError('You cannot delete your own account');
    await users.remove(ctx.params.id!, actorOf(ctx));
    ctx.body = { total: 1 };
  });

  const manageRoles = requirePermission(corePermissions.manageRoles);
  api.get('/permissions', manageRoles, (ctx) => {
    ctx.body = { entities: catalog.listPermissions() };
  });
  // The users page lists roles to choose from: managing users needs to read them.
  api.get('/roles', requireAnyPermission([corePermissions.manageRoles, corePermissions.manageUsers]), async (ctx) => {
    ctx.body = { entities: await roles.list() };
  });
  api.post('/roles', manageRoles, async (ctx) => {
    ctx.status = 201;
    ctx.body = { entity: await roles.create(ctx.request.body, actorOf(ctx)) };
  });
  api.patch('/roles/:id', manageRoles, async (ctx) => {
    ctx.body = { entity: await roles.update(ctx.params.id!, ctx.request.body, actorOf(ctx)) };
  });
  api.delete('/roles/:id', manageRoles, async (ctx) => {
    await roles.remove(ctx.params.id!, actorOf(ctx));
    ctx.body = { total: 1 };
  });

  const manageGroups = requirePermission(corePermissions.manageGroups);
  // Users belong to groups: managing users needs to read them.
  api.get('/groups', requireAnyPermission([corePermissions.manageGroups, corePermissions.manageUsers]), async (ctx) => {
    ctx.body = { entities: await groups.list() };
  });
  api.post('/groups', manageGroups, async (ctx) => {
    ctx.status = 201;
    ctx.body = { entity: await groups.create(ctx.request.body) };
  });
  api.delete('/groups/:id', manageGroups, async (ctx) => {
    await groups.remove(ctx.params.id!);
    ctx.body = { total: 1 };
  });

  const manageApplications = requirePermission(corePermissions.manageApplications);
  api.get('/scopes', manageApplications, (ctx) => {
    ctx.body = { entities: catalog.listScopes() };
  });
  api.get('/applications', manageApplications, async (ctx) => {
    ctx.body = { entities: await applications.list() };
  });
  api.post('/applications', manageApplications, async (ctx) => {
    ctx.status = 201;
    ctx.body = { entity: await applications.create(ctx.request.body) };
  });
  api.patch('/applications/:id', manageApplications, async (ctx) => {
    ctx.body = { entity: await applications.update(ctx.params.id!, ctx.request.body) };
  });
  api.post('/applications/:id/secret', manageApplications, async (ctx) => {
    ctx.body = { entity: await applications.renewSecret(ctx.params.id!) };
  });
  api.delete('/applications/:id', manageApplications, async (ctx) => {
    await applications.remove(ctx.params.id!);
    ctx.body = { total: 1 };
  });

  return api;
}
