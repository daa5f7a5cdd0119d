import type { Context } from 'koa';
import { PUBLISH_EXPORTS_SETTING } from '../../services/exports.js';
import { ConflictError, parseInput, Router, z, type PluginAuth, type Principal } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import { instanceView } from '../../services/instances.js';
import { pageQuerySchema, paged, skipOf } from '../../services/pages.js';
import { roleView, type Roles } from '../../services/roles.js';
import { idParam, optionalId, roleKind } from './params.js';

const userCreateSchema = z.object({
  email: z.string().trim().email(),
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  role: roleKind.optional(),
  instanceId: optionalId,
});
const userUpdateSchema = userCreateSchema.omit({ instanceId: true }).partial();
const instanceCreateSchema = z.object({
  instanceName: z.string().trim().min(1).max(200),
  licenses: z.number().int().min(1).max(1_000_000).optional(),
  email: z.string().trim().email().optional(),
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  password: z.string().optional(),
});
const propertyValue = z.union([z.string().max(1000), z.number(), z.boolean()]);
const roleUpdateSchema = z.object({
  properties: z.array(z.object({ key: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case property key'), value: propertyValue })).optional(),
  userId: optionalId,
  userIds: z.array(z.number().int().positive()).optional(),
});
/** The instance settings the reference lets the API change. */
const HUB_TABS = ['dashboard', 'projects', 'media', 'exports', 'admin'];
const instanceSettingSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('hubHeaderInIFrame'), value: z.boolean() }),
  // Not WeVideo's: every export of the instance is published to its application's publish library.
  z.object({ key: z.literal(PUBLISH_EXPORTS_SETTING), value: z.boolean() }),
  z.object({
    key: z.literal('HUB_HEADER_TABS_IN_IFRAME'),
    value: z.string().refine((v) => v.split(',').every((tab) => HUB_TABS.includes(tab.trim())), `a comma-separated list of ${HUB_TABS.join(', ')}`),
  }),
]);
const GLOBAL_SETTINGS = ['ALLOW_ADMIN_CHANGE_PASSWORD', 'DEFAULT_BLUR'] as const;
const globalSettingsSchema = z.object({
  properties: z.array(z.object({ key: z.enum(GLOBAL_SETTINGS), value: z.union([z.literal(0), z.literal(1)]) })).optional(),
});

/** Instances, users, roles and settings. */
export function accountRoutes({ access, roles, auth }: { access: Access; roles: Roles; auth: PluginAuth }): Router {
  const router = new Router();
  const { users, instances } = access;
  const principal = (ctx: Context): Principal => auth.principal(ctx)!;
  const ok = (ctx: Context, extra: object = {}) => {
    ctx.body = { success: true, ...extra };
  };

  router.get('/api/3/me', async (ctx) => {
    const instance = await access.instance(principal(ctx));
    ctx.body = { apiKey: principal(ctx).clientId, ...(await users.view(await users.get(instance.ownerId))) };
  });

  router.post('/api/3/users', async (ctx) => {
    const input = parseInput(userCreateSchema, ctx.request.body ?? {});
    const instance = await access.instance(principal(ctx), input.instanceId);
    const user = await users.create(instance, input);
    ctx.body = { firstName: user.firstName, lastName: user.lastName, email: user.email, userId: user._id, rootFolderId: user.rootFolderId, instanceId: user.instanceId };
  });
  router.get('/api/3/users/:id', async (ctx) => {
    ctx.body = await users.view(await access.user(principal(ctx), idParam(ctx.params.id)));
  });
  router.put('/api/3/users/:id', async (ctx) => {
    const user = await access.user(principal(ctx), idParam(ctx.params.id));
    await users.update(user, parseInput(userUpdateSchema, ctx.request.body ?? {}));
    ok(ctx);
  });
  router.delete('/api/3/users/:id', async (ctx) => {
    const user = await access.user(principal(ctx), idParam(ctx.params.id));
    // The instance's API user owns what is imported without a userId and answers /api/3/me: without it the
    // instance has no owner. Partners remove an instance's other users; the owner goes with its instance.
    if ((await access.instance(principal(ctx), user.instanceId)).ownerId === user._id) {
      throw new ConflictError(`User ${user._id} is the API user of instance ${user.instanceId} and cannot be removed`);
    }
    await users.remove(user);
    ok(ctx);
  });
  router.get('/api/3/instances/:id/users', async (ctx) => {
    const instance = await access.instance(principal(ctx), idParam(ctx.params.id));
    const query = parseInput(pageQuerySchema, ctx.query);
    const { users: found, total } = await users.list(instance._id, skipOf(query), query.pageSize);
    ctx.body = paged(await Promise.all(found.map((user) => users.view(user))), total, query);
  });

  router.get('/api/3/instances', async (ctx) => {
    const query = parseInput(pageQuerySchema, ctx.query);
    const all = await instances.list(principal(ctx));
    ctx.body = paged(all.slice(skipOf(query), skipOf(query) + query.pageSize).map(instanceView), all.length, query);
  });
  router.get('/api/3/instances/:id', async (ctx) => {
    ctx.body = instanceView(await access.instance(principal(ctx), idParam(ctx.params.id)));
  });
  router.post('/api/4/partners/instance', async (ctx) => {
    const input = parseInput(instanceCreateSchema, ctx.request.body ?? {});
    const instance = await instances.create(principal(ctx), input);
    ok(ctx, { instanceId: instance._id, ownerId: instance.ownerId });
  });
  router.get('/api/4/partners/instances', async (ctx) => {
    ok(ctx, { instances: (await instances.list(principal(ctx))).map(instanceView) });
  });

  router.post('/api/3/instance/:id/setting', async (ctx) => {
    const instance = await access.instance(principal(ctx), idParam(ctx.params.id));
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    // The reference's own example sends the value as "name"; "value" is what its text documents.
    const setting = parseInput(instanceSettingSchema, { key: body.key, value: body.value ?? body.name });
    await instances.update(instance, { [`settings.${setting.key}`]: setting.value });
    ok(ctx);
  });
  router.get('/api/3/instance/:id/settings', async (ctx) => {
    ok(ctx, { settings: (await access.instance(principal(ctx), idParam(ctx.params.id))).settings });
  });

  const globalSettings = async (ctx: Context) => {
    const instance = await access.instance(principal(ctx), idParam(ctx.params.id));
    const { properties = [] } = parseInput(globalSettingsSchema, ctx.request.body ?? {});
    if (properties.length) await instances.update(instance, Object.fromEntries(properties.map(({ key, value }) => [`globalSettings.${key}`, value])));
    const current = { ...Object.fromEntries(GLOBAL_SETTINGS.map((key) => [key, 0])), ...instance.globalSettings, ...Object.fromEntries(properties.map((p) => [p.key, p.value])) };
    ok(ctx, { settings: current });
  };
  router.post('/api/4/instance/:id/settings', globalSettings);
  router.get('/api/4/instance/:id/settings', globalSettings);

  router.get('/api/4/roles/instance/:id', async (ctx) => {
    const instance = await access.instance(principal(ctx), idParam(ctx.params.id));
    ok(ctx, { roles: (await roles.list(instance._id)).map(roleView) });
  });
  const updateRole = async (ctx: Context) => {
    const role = await roles.get(idParam(ctx.params.id));
    await access.ownsInstance(principal(ctx), role.instanceId);
    const input = parseInput(roleUpdateSchema, ctx.request.body ?? {});
    if (input.properties) await roles.updateProperties(role, input.properties);
    const assigned = [...(input.userId ? [input.userId] : []), ...(input.userIds ?? [])];
    if (assigned.length) await users.assignRole(role._id, role.instanceId, assigned);
    ok(ctx);
  };
  // The reference documents assignment both as PUT /roles/:id (its example) and POST /roles/:id/users (its endpoint line).
  router.put('/api/4/roles/:id', updateRole);
  router.post('/api/4/roles/:id/users', updateRole);
  return router;
}
