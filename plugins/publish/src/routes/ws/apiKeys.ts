import type { Context } from 'koa';
import { BadRequestError, describedRouter, ForbiddenError, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { ApiKeys } from '../../auth/apiKeys.js';
import { API_KEY_SCHEME, JWT_SCHEME, userIdOf } from '../../auth/userAuthenticator.js';
import type { ApiKeyDoc, ApiKeyUseDoc } from '../../models/apiKey.js';
import { fields } from './videocmsInput.js';
import { apiKeySchema, apiKeyUseSchema, newApiKeySchema } from './videocmsSchemas.js';

const newKeyInput = z.object({ name: z.string().trim().min(3).max(32), expires_at: z.iso.datetime({ offset: true }).optional() });

/** The key list item, in VideoCMS's mixed casing; the key itself is never in it. */
function apiKeyJson(key: ApiKeyDoc) {
  return {
    ID: key.id,
    CreatedAt: key.createdAt,
    UpdatedAt: key.updatedAt,
    DeletedAt: null,
    UserID: key.owner,
    name: key.name,
    prefix: key.prefix,
    ...(key.expiresAt ? { expires_at: key.expiresAt } : {}),
    ...(key.lastUsedAt ? { last_used_at: key.lastUsedAt } : {}),
  };
}

function auditJson(use: ApiKeyUseDoc) {
  return { ID: use.seq, CreatedAt: use.createdAt, UpdatedAt: use.updatedAt, DeletedAt: null, ApiKeyID: use.apiKeyId, UserID: use.owner, Method: use.method, Path: use.path, IP: use.ip };
}

function keyId(ctx: Context): number {
  const id = ctx.params.id ?? '';
  if (!/^\d{1,15}$/.test(id)) throw new BadRequestError('Invalid API Key ID');
  return Number(id);
}

/** VideoCMS's API key management below api/: only with a user's login token (JWT), never with a key or an application token. */
export function apiKeyRoutes({ keys, auth, loginPath, api }: { keys: ApiKeys; auth: PluginAuth; loginPath: string; api: ApiDescription }): Router {
  const { router, route } = describedRouter('/api', api);
  const owner = (ctx: Context) => {
    const principal = auth.principal(ctx);
    if (principal?.scheme === API_KEY_SCHEME) throw new ForbiddenError('API Key Not Permitted to Manage API Keys');
    if (principal?.scheme !== JWT_SCHEME) throw new ForbiddenError(`API keys are managed with a user login token (POST ${loginPath})`);
    return userIdOf(principal)!;
  };

  route({ method: 'get', path: '/apikeys', summary: "The caller's API keys (with a login token)", responses: { 200: { description: 'The keys, without the keys themselves', schema: z.array(apiKeySchema) } } }, async (ctx) => {
    ctx.body = (await keys.list(owner(ctx))).map(apiKeyJson);
  });
  route({ method: 'post', path: '/apikey', summary: 'Creates an API key (with a login token): the key is shown this once', body: newKeyInput, responses: { 201: { description: 'The key', schema: newApiKeySchema } } }, async (ctx) => {
    const user = owner(ctx);
    const input = fields(ctx, newKeyInput);
    const { doc, key } = await keys.create(user, input.name, input.expires_at ? new Date(input.expires_at) : null);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { id: doc.id, name: doc.name, key, ...(doc.expiresAt ? { expires_at: doc.expiresAt } : {}) };
  });
  route({ method: 'delete', path: '/apikey/{id}', summary: 'Revokes an API key', responses: { 204: { description: 'Revoked' } }, errors: [404] }, async (ctx) => {
    const user = owner(ctx);
    await keys.remove(user, keyId(ctx));
    ctx.status = 204;
  });
  route({ method: 'get', path: '/apikey/{id}/audit', summary: "An API key's uses", responses: { 200: { description: 'The uses, latest first', schema: z.array(apiKeyUseSchema) } }, errors: [404] }, async (ctx) => {
    const user = owner(ctx);
    ctx.body = (await keys.audit(user, keyId(ctx))).map(auditJson);
  });

  return router;
}
