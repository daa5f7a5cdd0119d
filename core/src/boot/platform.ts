import type { ApiDescription } from '../openapi/apiDescription.js';
import { pluginApiDescription } from '../openapi/pluginApi.js';
import path from 'node:path';
import type { Context } from 'koa';
import { AccessTokens } from '../auth/accessTokens.js';
import { bearerAuthenticator, type Authenticator, requireScope } from '../auth/bearer.js';
import { TokenKeyRing } from '../auth/tokenKeys.js';
import { ApplicationDirectory } from '../identity/applicationDirectory.js';
import { IdentityChanges } from '../identity/identityChanges.js';
import { ChangeFeeds } from '../changes/changeFeeds.js';
import { LoginThrottle } from '../auth/loginThrottle.js';
import { requirePermission } from '../auth/permissions.js';
import { persistentSecret } from '../auth/persistentSecret.js';
import { SecretSealer } from '../credentials/sealedSecrets.js';
import type { Principal } from '../identity/principal.js';
import type { CoreConf } from '../config/loadCoreConf.js';
import { loadConfFile } from '../config/loadConfFile.js';
import { connectDatabase, type Database } from '../db/connectDatabase.js';
import { NotFoundError, StartupError } from '../errors.js';
import { Applications } from '../identity/applications.js';
import { Catalog, corePermissionSpecs } from '../identity/catalog.js';
import { Groups } from '../identity/groups.js';
import { identityModels, type IdentityModels } from '../identity/models.js';
import { Roles } from '../identity/roles.js';
import { pluginUsersOf, type PluginUsers } from '../identity/pluginUsers.js';
import { Users, type PublicUser } from '../identity/users.js';
import { EventBus } from '../events/eventBus.js';
import { StoredMediaRegistry } from '../media/storedMedia.js';
import { JobQueueService } from '../jobs/jobQueue.js';
import { createApp } from '../http/createApp.js';
import { configureStoredObjectCache } from '../http/sendStored.js';
import { createLogger, type Logger } from '../log/createLogger.js';
import type { BackOfficeUser, Plugin, PluginAuth, PluginParts, ProcessRole } from '../plugins/contract.js';
import { loadPlugins } from '../plugins/loadPlugins.js';
import { pluginUrls, type BaseUrls } from '../plugins/pluginUrls.js';
import { RouteGroups } from '../plugins/routeGroups.js';
import { pluginStorageFactory } from '../storage/pluginStorage.js';
import { keepTemporaryFilesInScratch, removeDeadScratch } from '../storage/scratch.js';
import { checkMediaToolchain, MediaToolchainError } from '../media/capabilities.js';
import { locateMediaBinaries } from '../media/locateBinaries.js';
import type { MediaNeeds } from '../media/mediaNeeds.js';
import { MediaToolchain } from '../media/toolchain.js';
import { makePrivateDir } from '../storage/privateDir.js';
import { WebhookDeliveries } from '../webhooks/deliveries.js';
import { NumericIdService } from '../ids/numericIds.js';
import { WebhookSubscriptionService } from '../webhooks/subscriptions.js';

export interface LoadedPlugin {
  plugin: Plugin;
  parts: PluginParts;
  /** The route groups it declared through ctx.routes. */
  routes: RouteGroups;
  /** The operations it described through ctx.api. */
  api: ApiDescription;
  logger: Logger;
}

/** Everything a process of the platform is made of, whatever its role. */
export interface Platform {
  conf: CoreConf;
  role: ProcessRole;
  logger: Logger;
  db: Database;
  models: IdentityModels;
  catalog: Catalog;
  users: Users;
  roles: Roles;
  groups: Groups;
  applications: Applications;
  /** Every application in memory, kept current across processes by `identityChanges` (polled while serving). */
  directory: ApplicationDirectory;
  identityChanges: IdentityChanges;
  /** The plugins' change feeds, polled while serving. */
  changeFeeds: ChangeFeeds;
  accessTokens: AccessTokens;
  bearer: Authenticator;
  /** Failed logins per account and address, shared by the back-office sign-in and plugins' own logins. */
  loginThrottle: LoginThrottle;
  jobs: JobQueueService;
  events: EventBus;
  plugins: LoadedPlugin[];
}

function pluginAuthOf(users: Users, bearer: Authenticator, applications: Applications, loginThrottle: LoginThrottle, directory: PluginUsers): PluginAuth {
  const backOfficeUser = async (user: PublicUser | undefined): Promise<BackOfficeUser | undefined> =>
    user && { id: user.id, email: user.email, name: user.name, permissions: await users.permissionsOf(user.id), credentialsStamp: await users.credentialsStampOf(user.id) };
  return {
    requireScope,
    requirePermission,
    principal: (ctx: Context) => ctx.state.principal,
    user: (ctx: Context) => ctx.state.user,
    verifyUser: async (email, password) => backOfficeUser(await users.authenticate(email, password)),
    signIn: async (email, password, address, limits) => backOfficeUser(await loginThrottle.guard(email, address, limits, () => users.authenticate(email, password))),
    signInFailures: (email, address, limits) => loginThrottle.recentFailures(email, address, limits.failureWindowSeconds),
    findUser: async (id) =>
      backOfficeUser(
        await users.get(id).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }),
      ),
    users: directory,
    bearer,
    applicationBySecret: (secret, scheme) => applications.principalBySecret(secret, scheme),
    applicationSigningSecret: (clientId, scheme) => applications.signingSecret(clientId, scheme),
  };
}

function ownedBy(plugin: string, id: string): boolean {
  return id === plugin || id.startsWith(`${plugin}.`) || id.startsWith(`${plugin}-`);
}

export function urlsOf(conf: CoreConf): BaseUrls {
  const { server } = conf;
  return {
    backOffice: server.publicUrl ?? `http://${server.host}:${server.port}`,
    webService: `http://${server.ws.host}:${server.ws.port}`,
  };
}

async function setupPlugin(plugin: Plugin, ctx: Parameters<Plugin['setup']>[0]): Promise<PluginParts> {
  try {
    return await plugin.setup(ctx);
  } catch (error) {
    throw new StartupError(`Plugin "${plugin.name}" failed to set up: ${(error as Error).message}`);
  }
}

async function checkedToolchain(conf: CoreConf, plugins: Plugin[]): Promise<MediaToolchain> {
  const needs = new Map<string, MediaNeeds>(plugins.filter((plugin) => plugin.media).map((plugin) => [plugin.name, plugin.media!]));
  try {
    const { binaries } = await checkMediaToolchain(locateMediaBinaries(conf.server), needs);
    return new MediaToolchain(binaries);
  } catch (error) {
    if (error instanceof MediaToolchainError) throw new StartupError(error.message);
    throw error;
  }
}

/** Builds a process of the platform. Admin commands pass setupPlugins: false: they need the catalog, not the plugins running. */
export async function createPlatform(
  conf: CoreConf,
  role: ProcessRole,
  progress: (line: string) => void,
  { setupPlugins = true } = {},
): Promise<Platform> {
  const loggerEntry = conf.logger[role === 'worker' ? 'worker' : role] ?? conf.logger.app!;
  const logger = createLogger(loggerEntry, conf.rootDir, { process: role });
  const plugins = await loadPlugins(conf.server.plugins, conf.rootDir);

  const catalog = new Catalog();
  catalog.addPermissions('core', corePermissionSpecs);
  const pluginConfs = new Map<string, unknown>();
  for (const plugin of plugins) {
    for (const spec of [...(plugin.permissions ?? []), ...(plugin.scopes ?? [])]) {
      if (!ownedBy(plugin.name, spec.id)) throw new StartupError(`Plugin "${plugin.name}" declares "${spec.id}": its permissions and scopes must start with "${plugin.name}"`);
    }
    catalog.addPermissions(plugin.name, plugin.permissions ?? []);
    catalog.addScopes(plugin.name, plugin.scopes ?? []);
    if (plugin.config) pluginConfs.set(plugin.name, await loadConfFile(conf.confDir, `${plugin.name}Conf.json`, plugin.config, { optional: true }));
  }

  // Before the database: a platform that cannot process media must say so at once, not at the first upload.
  const media = setupPlugins ? await checkedToolchain(conf, plugins) : undefined;
  // The data folder holds media, secrets and by default the database: no other local user may read it.
  await makePrivateDir(conf.dataDir);
  await makePrivateDir(path.join(conf.dataDir, 'secrets'));
  const db = await connectDatabase(conf, progress, logger);
  const models = identityModels(db.connection);
  // Unique indexes must exist before the first write, and a short-lived admin command must not close under their build.
  await Promise.all(Object.values(models).map((model) => model.init()));
  const jobs = new JobQueueService(db.connection, logger, conf.server.jobs.pollIntervalMs, conf.server.jobs.heartbeatMs, conf.server.jobs.claimRetentionHours * 3600_000);
  await jobs.ready();
  const { outbound } = conf.server;
  const webhooks = new WebhookDeliveries(db.connection, jobs, {
    maxRetries: outbound.webhookMaxRetries,
    retryDelayMs: outbound.webhookRetryDelayMs,
    timeoutMs: outbound.webhookTimeoutMs,
    allowedNetworks: outbound.allowedNetworks,
  });
  jobs.define(webhooks.job());
  const events = new EventBus(logger);
  const storedMedia = new StoredMediaRegistry();
  const users = new Users(models);
  const sealer = new SecretSealer(await persistentSecret(path.join(conf.dataDir, 'secrets', 'core.application-seal')));
  const identityChanges = new IdentityChanges(models, logger);
  const changeFeeds = new ChangeFeeds(db.connection, logger);
  const directory = new ApplicationDirectory(models, identityChanges);
  await directory.load();
  const accessTokens = new AccessTokens(await new TokenKeyRing(path.join(conf.dataDir, 'secrets')).load());
  const bearer = bearerAuthenticator(accessTokens, directory);
  const applications = new Applications(models, catalog, directory, identityChanges, sealer);
  const loginThrottle = new LoginThrottle(db.connection);
  await loginThrottle.init();
  const numericIds = new NumericIdService(db.connection);
  const subscriptions = new WebhookSubscriptionService(db.connection);
  const roles = new Roles(models, catalog);
  const pluginAuth = pluginAuthOf(users, bearer, applications, loginThrottle, pluginUsersOf(users, roles, models));
  const storageFor = pluginStorageFactory(conf.server.storage, conf.dataDir);
  const MiB = 1024 * 1024;
  configureStoredObjectCache({ maxBytes: conf.server.mediaCache.sizeMiB * MiB, maxObjectBytes: conf.server.mediaCache.maxObjectMiB * MiB });
  // What a process killed mid-job left in its scratch folder goes at the next start on this machine.
  await removeDeadScratch(conf.dataDir);
  await keepTemporaryFilesInScratch(conf.dataDir);
  const loaded: LoadedPlugin[] = [];
  try {
    for (const plugin of setupPlugins ? plugins : []) {
      const entry = conf.logger[plugin.name];
      const pluginLogger = entry ? createLogger(entry, conf.rootDir, { process: role, plugin: plugin.name }) : logger.child({ plugin: plugin.name });
      const pluginSecret = (name: string) => persistentSecret(path.join(conf.dataDir, 'secrets', `${plugin.name}.${name.replace(/[^\w-]/g, '_')}`));
      const ids = numericIds.forPlugin(plugin.name);
      const deliveries = webhooks.forPlugin(plugin.name);
      const routes = new RouteGroups(plugin.name, (plugin.scopes ?? []).map((scope) => scope.id));
      const api = pluginApiDescription(plugin.name);
      const parts = await setupPlugin(plugin, {
        name: plugin.name,
        config: pluginConfs.get(plugin.name),
        logger: pluginLogger,
        db: db.connection,
        jobs: jobs.forPlugin(plugin.name),
        auth: pluginAuth,
        media: media!,
        storage: storageFor(plugin.name),
        events,
        storedMedia,
        changes: { feed: (name) => changeFeeds.feed(`${plugin.name}.${name}`) },
        routes,
        api,
        urls: pluginUrls(plugin.name, urlsOf(conf)),
        secret: pluginSecret,
        dataDir: conf.dataDir,
        webhooks: deliveries,
        outboundAllowedNetworks: outbound.allowedNetworks,
        createHttpApp: () => createApp({ logger: pluginLogger, trustProxy: conf.server.trustProxy, maxBodyBytes: conf.server.maxBodyBytes, database: db.connection }),
        ids,
        webhookSubscriptions: subscriptions.forPlugin(plugin.name, ids, deliveries, () => pluginSecret('webhooks')),
      });
      for (const definition of parts.jobs ?? []) jobs.definePluginJob(plugin.name, definition);
      loaded.push({ plugin, parts, routes, api, logger: pluginLogger });
    }
  } catch (error) {
    await db.close();
    throw error;
  }

  return {
    conf,
    role,
    logger,
    db,
    models,
    catalog,
    users,
    roles,
    groups: new Groups(models),
    applications,
    directory,
    identityChanges,
    changeFeeds,
    accessTokens,
    bearer,
    loginThrottle,
    jobs,
    events,
    plugins: loaded,
  };
}
