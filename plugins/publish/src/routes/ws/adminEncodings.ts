import { describedRouter, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { Encodings } from '../../services/encodings.js';
import { adminEncodingRowsSchema } from './videocmsSchemas.js';

/** An owner as VideoCMS's admin lists name them: a user by id and email, an application by its owner id. */
async function ownerOf(owner: string, auth: PluginAuth): Promise<{ user_id: string; username: string }> {
  if (!owner.startsWith('user:')) return { user_id: owner, username: owner };
  const id = owner.slice('user:'.length);
  return { user_id: id, username: (await auth.findUser(id))?.email ?? 'Deleted User' };
}

/** VideoCMS's admin GET /api/admin/encodings: everyone's pending qualities, snake_case, null when there is none. */
export function adminEncodingRoutes({ encodings, auth, api }: { encodings: Encodings; auth: PluginAuth; api?: ApiDescription }): Router {
  const { router, route } = describedRouter('/api/admin', api);
  route({ method: 'get', path: '/encodings', summary: "Everyone's qualities being encoded (admin)", responses: { 200: { description: 'One row a quality, null for none', schema: adminEncodingRowsSchema } } }, requireAdmin(auth), async (ctx) => {
    const running = await encodings.running();
    const owners = new Map<string, Promise<{ user_id: string; username: string }>>();
    const rows = await Promise.all(
      running.map(async ({ file, quality }) => {
        if (!owners.has(file.owner)) owners.set(file.owner, ownerOf(file.owner, auth));
        return { id: file.linkId, name: file.name, quality, progress: Math.round(file.encoding.progress) / 100, ...(await owners.get(file.owner)!) };
      }),
    );
    ctx.type = 'json';
    ctx.body = JSON.stringify(rows.length ? rows : null);
  });
  return router;
}
