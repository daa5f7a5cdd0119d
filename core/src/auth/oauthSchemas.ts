import { z } from 'zod';

/** RFC 6749's parameters are strings: an object (`client_id[$regex]=…`) would reach the database query as an operator. */
const parameter = (name: string) => z.string({ error: `Invalid parameter: ${name} must be a string` }).optional();

/** POST /token's body, as a form or JSON; the OAuth library checks which are present. */
export const tokenRequestSchema = z.object({
  grant_type: parameter('grant_type').describe('client_credentials'),
  client_id: parameter('client_id').describe('Or the Basic Authorization header'),
  client_secret: parameter('client_secret'),
  scope: parameter('scope').describe("Space-separated scopes, among the application's"),
});

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** POST /revoke's body (RFC 7009). */
export const revokeRequestSchema = z.object({
  token: z.string({ error: 'Missing parameter: `token`' }),
  token_type_hint: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});
