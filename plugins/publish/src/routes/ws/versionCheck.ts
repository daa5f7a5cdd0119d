import { BadRequestError, describedRouter, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { VersionCheck } from '../../services/versionCheck.js';

/** VideoCMS's admin GET /api/versioncheck: 200 text when current, 400 naming the newer version (as VideoCMS answers). */
export function versionCheckRoutes({ versions, auth, api }: { versions: VersionCheck; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('/api', api);
  route({ method: 'get', path: '/versioncheck', summary: 'Whether a newer version is out (admin): 400 naming it', responses: { 200: { description: 'The version in use is the latest', schema: z.string(), contentType: 'text/plain' } }, errors: [502, 503] }, requireAdmin(auth), async (ctx) => {
    const verdict = await versions.check();
    if (!verdict.latest) throw new BadRequestError(`A new version is available: ${verdict.newest}. Current version: ${verdict.current}`);
    ctx.type = 'text/plain';
    ctx.body = `You are using the latest version: ${verdict.current}`;
  });
  return router;
}
