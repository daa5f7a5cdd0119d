import type { ApiDescription } from '../openapi/apiDescription.js';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { Context, Middleware } from 'koa';
import type { Connection } from 'mongoose';
import type { z } from 'zod';
import type { Authenticator } from '../auth/bearer.js';
import type { ThrottleLimits } from '../auth/loginThrottle.js';
import type { Principal } from '../identity/principal.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';
import type { PluginUsers } from '../identity/pluginUsers.js';
import type { PermissionSpec, ScopeSpec } from '../identity/catalog.js';
import type { EventBus } from '../events/eventBus.js';
import type { JobDefinition } from '../jobs/defineJob.js';
import type { JobQueue } from '../jobs/types.js';
import type { Logger } from '../log/createLogger.js';
import type { MediaNeeds } from '../media/mediaNeeds.js';
import type { MediaToolchain } from '../media/toolchain.js';
import type { StoredMediaRegistry } from '../media/storedMedia.js';
import type { ChangeFeed } from '../changes/changeFeed.js';
import type { Storage } from '../storage/storage.js';
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

export type { BackOfficeUser, PluginUsers };

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
  /** The failed logins counted by that throttle for the account or the address over the window, whichever has more. */
  signInFailures(email: string, address: string, limits: ThrottleLimits): Promise<number>;
  /** A back-office user by id, or undefined once deleted (or when the id is malformed). */
  findUser(id: string): Promise<BackOfficeUser | undefined>;
  /** The platform's users, for a plugin's own user administration; every change is made as the given actor (identity/pluginUsers.ts). */
  users: PluginUsers;
  /** The core's Bearer check, for a plugin serving its own port: the token's principal, undefined without a Bearer header, 401 when invalid. */
  bearer: Authenticator;
  /** For a plugin's auth scheme that sends an application's secret itself: the application as a principal of `scheme`. */
  applicationBySecret(secret: string, scheme: string): Promise<Principal | undefined>;
  /** For a plugin's HMAC scheme keyed by client id: the application and its secret in clear, to recompute a signature. */
  applicationSigningSecret(clientId: string, scheme: string): Promise<{ principal: Principal; secret: string } | undefined>;
}

/** A web-service group's guard: the caller's token must hold this scope (403 otherwise). */
export interface ScopeGuard {
  scope: string;
}

/** A back-office group's guard: the signed-in user's roles must grant this permission (403 otherwise). */
export interface PermissionGuard {
  permission: string;
}

/**
 * The plugin's routes, declared per surface. Each call returns a new, empty group: a Router the core mounts below the
 * prefix it owns for that surface, its guard applied to every route of the group. Routes are written relative to the
 * prefix (`group.get('/api/files', …)`); nest a router (`group.use(other.routes())`) to keep that router's own prefix.
 * Groups of a surface are tried in the order they were declared.
 */
export interface PluginRoutes {
  /** /<name>/… on the web service, behind a token (Bearer or `webServiceAuth`) that holds `scope`. */
  webService(guard: ScopeGuard): Router;
  /** /<name>/… on the web service without credentials (an API's own login…): tried before the guarded groups. */
  webServicePublic(): Router;
  /** /be/<name>/… in the back office, for a signed-in user (with `permission` when given), CSRF-checked. */
  backOffice(guard?: PermissionGuard): Router;
  /** /<name>/… on the back-office port without sign-in (players, media, pages opened from elsewhere). */
  public(): Router;
}

/** Where the plugin's routes are reached, from the prefixes the core owns: `path` is relative to the group's prefix. */
export interface PluginUrls {
  /** '/<name><path>', a path on the web service. */
  webService(path?: string): string;
  /** '/be/<name><path>', a path in the back office. */
  backOffice(path?: string): string;
  /** '/<name><path>', a public path on the back-office port. */
  public(path?: string): string;
  /** The same paths as absolute URLs, for what leaves the platform (links in API answers, webhooks, signed URLs). */
  absolute: {
    /** The back office's base URL (server.publicUrl): where its port is reached from outside. */
    site: string;
    webService(path?: string): string;
    backOffice(path?: string): string;
    public(path?: string): string;
  };
}

/** What a plugin starts and stops in one kind of process. */
export interface LifecycleHooks {
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface PluginContext<C = unknown> {
  name: string;
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
   * Media the plugins keep and let each other open by URL, shared by the plugins of the process: a provider registers a
   * resolver in setup (it checks who asks); a consumer resolves a URL before treating it as a web URL to fetch.
   */
  storedMedia: StoredMediaRegistry;
  /**
   * Changes every process must learn about within a poll (a cache to drop…): `feed(name)` is the plugin's topic
   * `<plugin>.<name>`; publish() applies at once here and within 250 ms in the other processes.
   */
  changes: { feed<T>(name: string): ChangeFeed<T> };
  /** Route groups per surface, each with its guard. */
  routes: PluginRoutes;
  /** Paths and URLs of the plugin's routes: no plugin writes its own mount path. */
  urls: PluginUrls;
  /**
   * Its web-service API's OpenAPI document, served without credentials at `/<name>/api/openapi.json` once it describes
   * an operation: `api.route(group, operation, handler)` registers a route of a group and describes it, paths below the
   * plugin's prefix. Bearer tokens and the core's error shape unless `api.amend()` says otherwise.
   */
  api: ApiDescription;
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
  /** Pages of the back-office groups listed in the back-office navigation; `path` is below /be/<name>. */
  backOfficePages?: { path: string; label: string; permission?: string }[];
  /** Extra web-service auth schemes of the API the plugin imitates, tried before Bearer tokens. */
  webServiceAuth?: Authenticator[];
  /** Its defineJob definitions, registered in every process (any may enqueue them; workers run them). */
  jobs?: JobDefinition<unknown>[];
  /** What GET /<name>/health (answered by the core) checks besides the process being up: throw when the plugin cannot serve. */
  health?(): Promise<void>;
  /** Runs in every process, before its role's hook. */
  start?(): Promise<void>;
  /** Runs in every process, after its role's hook. */
  stop?(): Promise<void>;
  /**
   * What runs in one kind of process only: `app` the back office, `ws` the web service, `worker` a jobs-only process.
   * setup() itself runs everywhere: build only what every process shares there, and the rest in a role's start.
   */
  roles?: Partial<Record<ProcessRole, LifecycleHooks>>;
}
