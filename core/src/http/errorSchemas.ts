import { z } from 'zod';

/** The OpenVeo web-service error body (openveoErrorFormat), the core's and its plugins' by default. */
export const openveoErrorSchema = z.object({
  error: z.object({ code: z.string(), module: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** The RFC 6749/6750 error body: /token and /revoke answer every error with it, the Bearer guard its 401s. */
export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string() });
