import { oauthErrorSchema, openveoErrorSchema } from '../http/errorSchemas.js';
import { ApiDescription } from './apiDescription.js';

/** A plugin's web-service API before it says more of itself: below /<name>, behind the core's Bearer tokens. */
export function pluginApiDescription(plugin: string): ApiDescription {
  return new ApiDescription({
    title: `mediahost ${plugin} web service`,
    version: '1',
    root: `/${plugin}`,
    documentPath: `/${plugin}/api/openapi.json`,
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /token holding the scope of the route' } },
    security: [['bearer']],
    errorSchema: openveoErrorSchema,
    // The core's Bearer check refuses in RFC 6750's words.
    errorSchemas: { 401: oauthErrorSchema },
    commonErrors: [400, 401, 403, 405, 413, 415],
  });
}
