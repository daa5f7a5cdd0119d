import { oauthErrorSchema, z, type ApiDescription } from '@mediahost/core';

/** wevErrorFormat's body. */
export const wevErrorSchema = z.object({ success: z.literal(false), message: z.string(), error_code: z.string() });

/** What the editor's document says of the API: WeVideo's, its two Authorization schemes, its error body. */
export function describeWevApi(api: ApiDescription): void {
  api.amend({
    title: 'mediahost editor web service (WeVideo API)',
    description:
      "WeVideo's API below /editor/api/3 and /editor/api/4, as the editor's partners call it. The editor's own pages (/editor/api/3/editor…, /editor/api/3/sso/login…) are the browser's, on the public port.",
    securitySchemes: {
      wev: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          '`WEV <apiKey>:<signature>` (apiKey: the application client id): the signature is Base64(HMAC-SHA256(application secret, the method, MD5-hex of the body, the Date header and the full URL joined by newlines)); Date within the replay window, a changing request accepted once.',
      },
      wevSimple: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`WEVSIMPLE <application secret>`' },
      bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /token holding the editor scope' },
    },
    security: [['wev'], ['wevSimple'], ['bearer']],
    errorSchema: wevErrorSchema,
    // A refused Bearer token is answered in RFC 6750's words by the core's check; the WeVideo schemes in WeVideo's.
    errorSchemas: { 401: z.union([wevErrorSchema, oauthErrorSchema]) },
  });
}
