import { Router, type Connection, type NumericIds, type PluginAuth } from '@mediahost/core';
import type { PublishConfig } from './config.js';
import { apiKeyModels } from './models/apiKey.js';
import { apiKeyRoutes } from './routes/ws/apiKeys.js';
import { userAuthRoutes } from './routes/ws/userAuth.js';
import { ApiKeys } from './auth/apiKeys.js';
import { userAuthenticator } from './auth/userAuthenticator.js';
import { UserTokens } from './auth/userTokens.js';

/** VideoCMS's user auth on the web service: the public login routes, the key management routes and the Bearer scheme. */
export function videocmsAuth(db: Connection, auth: PluginAuth, config: PublishConfig['apiLogin'], counters: NumericIds, jwtSecret: string) {
  const { keys, uses } = apiKeyModels(db);
  const apiKeys = new ApiKeys(keys, uses, counters);
  const tokens = new UserTokens(jwtSecret, config.jwtLifetimeSeconds);
  const throttleLimits = { maxFailures: config.maxFailures, failureWindowSeconds: config.failureWindowSeconds };
  return {
    // Nested: the core's mount replaces a router's own prefix (/api/auth) with /publish, but keeps a nested router's.
    publicRoutes: new Router().use(userAuthRoutes(tokens, apiKeys, throttleLimits, auth).routes()),
    routes: apiKeyRoutes(apiKeys, auth),
    authenticator: userAuthenticator(tokens, apiKeys, auth),
  };
}
