import { BadRequestError, describedRouter, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import { USAGE_METRICS } from '../../models/usageEvent.js';
import type { Access } from '../../services/access.js';
import type { Usage } from '../../services/usage.js';
import { idParam } from './params.js';
import { usageReportSchema } from './wevSchemas.js';

const reportSchema = z.object({ metric: z.enum(USAGE_METRICS), from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) });

/** GET /api/4/instance/report/:instanceId/usage/:metric/:from/:to */
export function reportRoutes({ access, usage, auth, api }: { access: Access; usage: Usage; auth: PluginAuth; api: ApiDescription }): Router {
  const { router, route } = describedRouter('', api);
  route({ method: 'get', path: '/api/4/instance/report/{id}/usage/{metric}/{from}/{to}', summary: "An instance's usage of a metric between two times (ms)", responses: { 200: { description: 'The count', schema: usageReportSchema } }, errors: [404] }, async (ctx) => {
    const instance = await access.instance(auth.principal(ctx)!, idParam(ctx.params.id));
    const { metric, from, to } = parseInput(reportSchema, ctx.params);
    if (to < from) throw new BadRequestError('toTime must not be before fromTime');
    ctx.body = await usage.report(instance._id, metric, from, to);
  });
  return router;
}
