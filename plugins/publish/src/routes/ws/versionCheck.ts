import { BadRequestError, Router, type PluginAuth } from '@mediahost/core';
import { requireAdmin } from '../../auth/requireAdmin.js';
import type { VersionCheck } from '../../services/versionCheck.js';

/** VideoCMS's admin GET /api/versioncheck: 200 text when current, 400 naming the newer version (as VideoCMS answers). */
export function versionCheckRoutes({ versions, auth }: { versions: VersionCheck; auth: PluginAuth }): Router {
  const router = new Router({ prefix: '/api' });
  router.get('/versioncheck', requireAdmin(auth), async (ctx) => {
    const verdict = await versions.check();
    if (!verdict.latest) throw new BadRequestError(`A new version is available: ${verdict.newest}. Current version: ${verdict.current}`);
    ctx.type = 'text/plain';
    ctx.body = `You are using the latest version: ${verdict.current}`;
  });
  return router;
}
