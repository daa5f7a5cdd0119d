import type { ApiDescription, Connection, NumericIds, PluginAuth, PluginUrls } from '@mediahost/core';
import type { PublishConfig } from './config.js';
import { apiKeyModels } from './models/apiKey.js';
import { apiKeyRoutes } from './routes/ws/apiKeys.js';
import { userAuthRoutes, type LoginCaptcha } from './routes/ws/userAuth.js';
import { ApiKeys } from './auth/apiKeys.js';
import { userAuthenticator } from './auth/userAuthenticator.js';
import { UserTokens } from './auth/userTokens.js';

interface VideocmsAuthDeps {
  db: Connection;
  auth: PluginAuth;
  config: PublishConfig['apiLogin'];
  counters: NumericIds;
  jwtSecret: string;
  urls: PluginUrls;
  loginCaptcha: LoginCaptcha;
  api: ApiDescription;
}

/** VideoCMS's user auth on the web service: the public login routes, the key management routes and the Bearer scheme. */
export function videocmsAuth({ db, auth, config, counters, jwtSecret, urls, loginCaptcha, api }: VideocmsAuthDeps) {
  const { keys, uses } = apiKeyModels(db);
  const apiKeys = new ApiKeys(keys, uses, counters);
  const tokens = new UserTokens(jwtSecret, config.jwtLifetimeSeconds);
  const throttleLimits = { maxFailures: config.maxFailures, failureWindowSeconds: config.failureWindowSeconds };
  return {
    publicRoutes: userAuthRoutes(tokens, apiKeys, throttleLimits, auth, loginCaptcha, api),
    routes: apiKeyRoutes({ keys: apiKeys, auth, loginPath: urls.webService('/api/auth/login'), api }),
    authenticator: userAuthenticator(tokens, apiKeys, auth),
  };
}
