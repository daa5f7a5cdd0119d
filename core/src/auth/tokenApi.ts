import type { ErrorFormat } from '../http/errorHandler.js';
import { ApiDescription, type OperationSpec } from '../openapi/apiDescription.js';
import { oauthErrorSchema } from '../http/errorSchemas.js';
import { revokeRequestSchema, tokenRequestSchema, tokenResponseSchema } from './oauthSchemas.js';
import { z } from 'zod';

const FORM = 'application/x-www-form-urlencoded';
/** The client authenticates with Basic or with client_id and client_secret in the body. */
const CLIENT_AUTH = [['clientBasic'], []];

export const tokenOperation: OperationSpec = {
  method: 'post',
  path: '/token',
  summary: 'Issue an access token (OAuth2 client credentials)',
  body: tokenRequestSchema,
  bodyContentTypes: [FORM],
  responses: { 200: { description: 'A Bearer token for the web service', schema: tokenResponseSchema } },
  errors: [400, 401],
  security: CLIENT_AUTH,
};

export const revokeOperation: OperationSpec = {
  method: 'post',
  path: '/revoke',
  summary: "Revoke one of the application's access tokens (RFC 7009)",
  body: revokeRequestSchema,
  bodyContentTypes: [FORM],
  responses: { 200: { description: 'Revoked, or was not a valid token of the application', schema: z.strictObject({}) } },
  errors: [400, 401],
  security: CLIENT_AUTH,
};

/** /token and /revoke answer every error in OAuth's shape, their clients' libraries read no other. */
export const oauthErrorFormat: ErrorFormat = (error) => ({ error: error.code, error_description: error.message });

/** The core's own web-service API, served at /openapi.json. */
export function tokenApi(): ApiDescription {
  return new ApiDescription({
    title: 'mediahost web service: tokens',
    version: '1',
    description: 'OAuth2 client-credentials tokens for every API of the web service (Bearer).',
    root: '',
    securitySchemes: { clientBasic: { type: 'http', scheme: 'basic', description: 'client id and client secret' } },
    errorSchema: oauthErrorSchema,
    commonErrors: [405, 413, 415],
  });
}
