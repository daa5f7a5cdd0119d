import type Router from '@koa/router';
import type Koa from 'koa';
import type { Context, Middleware } from 'koa';
import type { Connection } from 'mongoose';
import type { z } from 'zod';
import type { Authenticator } from '../auth/bearer.js';
import type { ThrottleLimits } from '../auth/loginThrottle.js';
import type { Principal } from '../identity/principal.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';
import type { PermissionSpec, ScopeSpec } from '../identity/catalog.js';
import type { EventBus } from '../events/eventBus.js';
import type { JobDefinition } from '../jobs/defineJob.js';
import type { JobQueue } from '../jobs/types.js';
import type { Logger } from '../log/createLogger.js';
import type { MediaNeeds } from '../media/mediaNeeds.js';
import type { MediaToolchain } from '../media/toolchain.js';
import type { ChangeFeed } from '../changes/changeFeed.js';
import type { Storage } from '../storage/localStorage.js';
import type { NumericIds } from '../ids/numericIds.js';
import type { Webhooks } from '../webhooks/deliveries.js';
import type { WebhookSubscriptions } from '../webhooks/subscriptions.js';

export type ProcessRole = 'app' | 'ws' | 'worker';

/** The default export of a plugin package. */
export interface Plugin<C = unknown> {
  /** Mount path and logger name: /publish, /be/publish, and /publish on the web service. */
  name: string;
  /** Validates conf/<name>Conf.json (an absent file validates as {}). */
  config?: z.ZodType<C>;
  /** Back-office permissions it adds; each id is "<name>" or starts with "<name>." or "<name>-". */
  permissions?: PermissionSpec[];
  /** OAuth scopes its web-service routes require, named like permissions. A token with none of them cannot reach the plugin. */
  scopes?: ScopeSpec[];
  /** The encoders, muxers, filters… its ffmpeg commands use: checked against the installed ffmpeg before any process starts. */
  media?: MediaNeeds;
  setup(ctx: PluginContext<C>): Promise<PluginParts> | PluginParts;
}

export type { BackOfficeUser };

/** Auth helpers for plugin routes. */
export interface PluginAuth {
  /** Web-service route guard: the token must carry this scope (403 otherwise). */
  requireScope(scope: string): Middleware;
  /** Back-office route guard: the signed-in user's roles must grant this permission (403 otherwise). */
  requirePermission(permission: string): Middleware;
  /** The web-service caller, set once the core authenticated the request. */
  principal(ctx: Context): Principal | undefined;
  /** The signed-in back-office user. */
  user(ctx: Context): BackOfficeUser | undefined;
  /** A back-office user by email and password, for an API's own login; an unknown email costs as much as a wrong password. */
  verifyUser(email: string, password: string): Promise<BackOfficeUser | undefined>;
  /**
   * verifyUser behind the platform's failed-login throttle, for an API's own login: failures count per account and per
   * client address in every process and login route; past `limits` it throws TooManyRequestsError (429, Retry-After).
   */
  signIn(email: string, password: string, address: string, limits: ThrottleLimits): Promise<BackOfficeUser | undefined>;
  /** A back-office user by id, or undefined once deleted (or when the id is malformed). */
  findUser(id: string): Promise<BackOfficeUser | undefined>;
  /** The core's Bearer check, for a plugin serving its own port: the token's principal, undefined without a Bearer header, 401 when invalid. */
  bearer: Authenticator;
  /** For a plugin's auth scheme that sends an application's secret itself: the application as a principal of `scheme`. */
  applicationBySecret(secret: string, scheme: string): Promise<Principal | undefined>;
  /** For a plugin's HMAC scheme keyed by client id: the application and its secret in clear, to recompute a signature. */
  applicationSigningSecret(clientId: string, scheme: string): Promise<{ principal: Principal; secret: string } | undefined>;
}

export interface PluginContext<C = unknown> {
  name: string;
  role: ProcessRole;
  config: C;
  logger: Logger;
  db: Connection;
  jobs: JobQueue;
  auth: PluginAuth;
  storage: Storage;
  /** ffmpeg and ffprobe, located and checked by the core: the only way a plugin runs them. */
  media: MediaToolchain;
  /** Platform-wide events inside this process, typed by each event's defineEvent declaration. */
  events: EventBus;
  /**
   * Changes every process must learn about within a poll (a cache to drop…): `feed(name)` is the plugin's topic
   * `<plugin>.<name>`; publish() applies at once here and within 250 ms in the other processes.
   */
  changes: { feed<T>(name: string): ChangeFeed<T> };
  urls: { backOffice: string; webService: string };
  /** A random secret of the plugin's, the same in every process and across restarts (signing keys). */
  secret(name: string): Promise<string>;
  /** The platform's data folder, for what a plugin keeps besides its media (temporary work…). */
  dataDir: string;
  /** Outgoing webhooks: persisted, retried with backoff until a 2xx, logged, never sent to internal addresses. */
  webhooks: Webhooks;
  /** Private networks the operator trusts as targets of outgoing calls (for safeDownload's allowedNetworks). */
  outboundAllowedNetworks: string[];
  /** A Koa app with the core's request log, error mapping and body parsing, for a plugin that must serve a port of its own. */
  createHttpApp(): Koa;
  /** Numbers per named sequence of the plugin's (numeric ids of an imitated API), unique in every process. */
  ids: NumericIds;
  /** Endpoints owners register for the plugin's events: filtered, signed (secret `webhooks`), delivered through `webhooks`. */
  webhookSubscriptions: WebhookSubscriptions;
}

export interface PluginParts {
  backOffice?: Router;
  /** Pages of `backOffice` listed in the back-office navigation; `path` is below /be/<name>. */
  backOfficePages?: { path: string; label: string; permission?: string }[];
  webService?: Router;
  /** Web-service routes under the same /<name> prefix that need no credentials (an API's own login…); tried first. Like the other routers, no prefix of its own (mounting sets it): nest prefixed routers. */
  webServicePublic?: Router;
  public?: Router;
  /** Extra web-service auth schemes of the API the plugin imitates, tried before Bearer tokens. */
  webServiceAuth?: Authenticator[];
  /** Its defineJob definitions, registered in every process (any may enqueue them; workers run them). */
  jobs?: JobDefinition<unknown>[];
  /** What GET /<name>/health (answered by the core) checks besides the process being up: throw when the plugin cannot serve. */
  health?(): Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
