import type { Context } from 'koa';
import { BadRequestError, describedRouter, NotFoundError, parseInput, z, type ApiDescription, type Model, type PluginAuth, type PluginUser, type Router } from '@mediahost/core';
import { adminActor, requireAdmin } from '../../auth/requireAdmin.js';
import type { AccountSettingsDoc } from '../../models/accountSettings.js';
import type { AccountLimits } from '../../services/accountLimits.js';
import type { StorageIndex } from '../../services/storageIndex.js';
import { userJson } from './userJson.js';
import { userListSchema, userSchema } from './videocmsSchemas.js';

interface UserRouteDeps {
  auth: PluginAuth;
  settings: Model<AccountSettingsDoc>;
  limits: AccountLimits;
  storage: StorageIndex;
  /** Absent where the back office mounts the same routes. */
  api?: ApiDescription;
}

const password = z.string().min(8, 'Password [min] : 8').max(250, 'Password [max] : 250');
/** The limits an admin sets on a user; absent ones are left as they are. */
const limitFields = {
  storage: z.number().int().min(0).optional(),
  balance: z.number().finite().optional(),
  maxRemoteDownloads: z.number().int().min(1).optional(),
  remoteDownloadEnabled: z.boolean().optional(),
  uploadEnabled: z.boolean().optional(),
};
const newUser = z.strictObject({
  username: z.string().trim().min(3).max(254),
  password,
  email: z.union([z.email().max(254), z.literal('')]).optional(),
  admin: z.boolean().default(false),
  ...limitFields,
});
const userChanges = z.strictObject({
  username: z.string().trim().max(254).optional(),
  email: z.union([z.email().max(254), z.literal('')]).optional(),
  name: z.string().max(200).optional(),
  admin: z.boolean().optional(),
  ...limitFields,
});
const newPasswordInput = z.object({ new_password: password });
const listQuery = z.object({
  page: z.coerce.number().int().catch(1).transform((n) => Math.max(n, 1)),
  limit: z.coerce.number().int().catch(10).transform((n) => (n < 1 ? 10 : Math.min(n, 1000))),
  search: z.string().max(254).default(''),
});

/** VideoCMS's body: JSON, keys as its json tags. */
const body = <S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> => parseInput(schema, ctx.request.body ?? {});

/**
 * VideoCMS's admin user management (/api/users…) over the platform's users: the back office's accounts, so the same
 * people sign in to both. A user's limits (storage quota, uploads and remote downloads on or off, queue length) are
 * the publish plugin's account settings, which services/accountLimits.ts applies on every route.
 */
export function userRoutes({ auth, settings, limits, storage, api }: UserRouteDeps): Router {
  const { router, route } = describedRouter('/api/users', api);
  const user = { description: 'The user', schema: userSchema };
  router.use(requireAdmin(auth));
  const ownerOf = (user: PluginUser) => `user:${user.id}`;

  const figuresOf = async (user: PluginUser) => {
    const owner = ownerOf(user);
    const [own, effective, usedBytes, files] = await Promise.all([limits.accountSettings(owner), limits.of(owner), storage.bytesOf(owner), storage.filesOf(owner)]);
    return userJson({ user, settings: own, limits: effective, usedBytes, files });
  };
  const found = async (ctx: Context) => {
    const user = /^[0-9a-f]{24}$/i.test(ctx.params.id ?? '') ? await auth.users.get(ctx.params.id!) : undefined;
    if (!user) throw new NotFoundError('user not found');
    return user;
  };
  const saveLimits = async (user: PluginUser, input: z.infer<z.ZodObject<typeof limitFields>>) => {
    const set = Object.fromEntries(
      Object.entries({
        storageBytes: input.storage,
        balance: input.balance,
        maxRemoteDownloads: input.maxRemoteDownloads,
        remoteDownloadEnabled: input.remoteDownloadEnabled,
        uploadEnabled: input.uploadEnabled,
      }).filter(([, value]) => value !== undefined),
    );
    if (Object.keys(set).length) await settings.updateOne({ _id: ownerOf(user) }, { $set: set }, { upsert: true });
  };

  route({ method: 'get', path: '/', summary: 'The users, a page of them (admin)', query: listQuery, responses: { 200: { description: 'The page', schema: userListSchema } } }, async (ctx) => {
    const { page, limit, search } = parseInput(listQuery, ctx.query);
    const needle = search.toLowerCase();
    const matching = (await auth.users.list()).filter((user) => !needle || user.email.includes(needle) || user.name.toLowerCase().includes(needle));
    const shown = matching.slice((page - 1) * limit, page * limit);
    ctx.body = { data: await Promise.all(shown.map(figuresOf)), meta: { total: matching.length, page, limit } };
  });

  route({ method: 'post', path: '/', summary: 'Creates a user (admin)', body: newUser, responses: { 201: user }, errors: [409] }, async (ctx) => {
    const input = body(ctx, newUser);
    // The platform signs in by email: VideoCMS's username is the email unless an email is given beside it.
    const email = input.email || input.username;
    if (!z.email().safeParse(email).success) throw new BadRequestError('username must be an email address, or give email beside it');
    const user = await auth.users.create({ email, name: input.email ? input.username : '', password: input.password, admin: input.admin }, await adminActor(ctx, auth));
    await saveLimits(user, input);
    ctx.status = 201;
    ctx.body = await figuresOf(user);
  });

  route({ method: 'get', path: '/{id}', summary: 'A user (admin)', responses: { 200: user }, errors: [404] }, async (ctx) => {
    ctx.body = await figuresOf(await found(ctx));
  });

  route({ method: 'put', path: '/{id}', summary: 'Changes a user and their limits (admin)', body: userChanges, responses: { 200: user }, errors: [404] }, async (ctx) => {
    const user = await found(ctx);
    const input = body(ctx, userChanges);
    const newEmail = input.email || (input.username && input.username.includes('@') ? input.username : undefined);
    if (newEmail && newEmail.toLowerCase() !== user.email.toLowerCase()) throw new BadRequestError('the sign-in email cannot be changed: create another user');
    const name = input.name ?? (input.username && !input.username.includes('@') ? input.username : undefined);
    const updated = name !== undefined || input.admin !== undefined ? await auth.users.update(user.id, { name, admin: input.admin }, await adminActor(ctx, auth)) : user;
    await saveLimits(updated, input);
    ctx.body = await figuresOf(updated);
  });

  route({ method: 'delete', path: '/{id}', summary: 'Deletes a user (admin)', responses: { 204: { description: 'Deleted' } }, errors: [404, 409] }, async (ctx) => {
    const user = await found(ctx);
    await auth.users.remove(user.id, await adminActor(ctx, auth));
    await settings.deleteOne({ _id: ownerOf(user) });
    ctx.status = 204;
  });

  route({ method: 'post', path: '/{id}/password', summary: "Sets a user's password (admin)", body: newPasswordInput, responses: { 200: { description: 'Done', schema: z.object({ message: z.string() }) } }, errors: [404] }, async (ctx) => {
    const user = await found(ctx);
    const input = body(ctx, newPasswordInput);
    await auth.users.update(user.id, { password: input.new_password }, await adminActor(ctx, auth));
    ctx.body = { message: 'Password updated successfully' };
  });
  return router;
}
