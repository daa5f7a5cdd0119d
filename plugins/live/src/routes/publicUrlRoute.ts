import { Router, z, type ApiDescription } from '@mediahost/core';
import type { LiveSettings } from '../settings/liveSettings.js';
import { OPENVIDU_API_ROOT } from '../openvidu/openviduApi.js';

/** GET /openvidu/api/config/openvidu-publicurl: the one path of the API that answers without credentials. */
export function publicUrlRoute(settings: LiveSettings, api: ApiDescription): Router {
  const operation = api.describe({
    method: 'get',
    path: '/config/openvidu-publicurl',
    summary: "The server's public URL",
    responses: { 200: { description: 'The URL', schema: z.string(), contentType: 'text/plain' } },
    security: [[]],
  });
  return new Router().get(`${OPENVIDU_API_ROOT}${operation.path}`, (ctx) => {
    ctx.body = settings.publicUrl;
  });
}
