import { BadRequestError, type LifecycleHooks, type Plugin } from '@mediahost/core';
import { ADMIN_PERMISSION } from './auth/requireAdmin.js';
import { publishConfigSchema, type PublishConfig } from './config.js';
import { videocmsAuth } from './videocmsAuth.js';
import { REMOTE_DOWNLOAD, remoteDownloadJob } from './jobs/remoteDownload.js';
import { TRANSCODE, transcodeJob } from './jobs/transcode.js';
import { Claims } from './models/claim.js';
import { continueLegacyCounters } from './models/legacyCounters.js';
import { fileModel, type FileDoc } from './models/file.js';
import { folderModel } from './models/folder.js';
import { remoteDownloadModel } from './models/remoteDownload.js';
import { adoptLegacyWebhooks } from './models/webhook.js';
import { accountSettingsModel } from './models/accountSettings.js';
import { systemSettingsModel } from './models/systemSettings.js';
import { webPageModel } from './models/webPage.js';
import { storageDayModel } from './models/storageDay.js';
import { captchaClaimModel } from './models/captchaClaim.js';
import { systemSampleModel } from './models/systemSample.js';
import { usageModel } from './models/usage.js';
import { usageDayModel } from './models/usageDay.js';
import type { StorageChange } from './models/storageChanges.js';
import type { UsageChange } from './models/usageChanges.js';
import { tagModel } from './models/tag.js';
import { adminPageRoutes } from './routes/backoffice/adminPage.js';
import { manageAssetRoutes, manageRoutes, MANAGE_PERMISSION } from './routes/backoffice/manage.js';
import { mediaRoutes } from './routes/public/media.js';
import { playerRoutes } from './routes/public/player.js';
import { captchaRoutes } from './routes/public/captcha.js';
import { pageViewRoutes } from './routes/public/pageView.js';
import { accountRoutes } from './routes/ws/account.js';
import { adminStatsRoutes } from './routes/ws/adminStats.js';
import { userRoutes } from './routes/ws/users.js';
import { systemSettingsRoutes } from './routes/ws/systemSettings.js';
import { webPageAdminRoutes, webPagePublicRoutes } from './routes/ws/webPages.js';
import { publicConfigRoutes } from './routes/ws/publicConfig.js';
import { encodingRoutes } from './routes/ws/encodings.js';
import { adminEncodingRoutes } from './routes/ws/adminEncodings.js';
import { versionCheckRoutes } from './routes/ws/versionCheck.js';
import { remoteDownloadRoutes } from './routes/ws/remoteDownloads.js';
import { uploadRoutes } from './routes/ws/uploads.js';
import { videocmsRoutes } from './routes/ws/videocms.js';
import { videoRoutes } from './routes/ws/videos.js';
import { webhookRoutes } from './routes/ws/webhooks.js';
import { AccountLimits } from './services/accountLimits.js';
import { assertRoomToStore } from './services/uploadQuota.js';
import { Captcha } from './services/captcha.js';
import { Encodings } from './services/encodings.js';
import { FileLifecycle } from './services/fileLifecycle.js';
import { FileService } from './services/files.js';
import { Folders } from './services/folders.js';
import { Ingest } from './services/ingest.js';
import { LibraryImports } from './services/libraryImports.js';
import { LIBRARY_IMPORT } from './libraryEvents.js';
import { MediaCookie } from './services/mediaCookie.js';
import { RemoteDownloads } from './services/remoteDownloads.js';
import { SharedTranscodes } from './services/sharedTranscodes.js';
import { StorageHistory } from './services/storageHistory.js';
import { SystemStats } from './services/systemStats.js';
import { encodingQueueOf } from './services/encodingQueue.js';
import { StorageIndex } from './services/storageIndex.js';
import { storedMediaResolver } from './services/storedMediaResolver.js';
import { Tags } from './services/tags.js';
import { WebPages } from './services/webPages.js';
import { TusUploads } from './services/tusUploads.js';
import { uploadSweep } from './services/uploadSweep.js';
import { PUBLISH_MEDIA_NEEDS } from './services/mediaNeeds.js';
import { FileListCache } from './services/fileListCache.js';
import { COMPACT_EVERY_MS, LANDED_WITHIN_MS, UsageCompactor, usageSettleMs } from './services/usageCompactor.js';
import { UsageLedger } from './services/usageLedger.js';
import { UsageMeter } from './services/usageMeter.js';
import { UsageStats } from './services/usageStats.js';
import { VideoCatalog } from './services/videoCatalog.js';
import { VersionCheck } from './services/versionCheck.js';
import { WebhookDispatcher } from './services/webhookDispatcher.js';

const PUBLISH_SCOPE = 'publish';

/** Video on demand: uploads, transcoding to HLS, the player and the media API. */
const publish: Plugin<PublishConfig> = {
  name: 'publish',
  config: publishConfigSchema,
  scopes: [{ id: PUBLISH_SCOPE, description: 'Publish web-service API: files, folders, uploads, webhooks' }],
  permissions: [{ id: MANAGE_PERMISSION, description: 'Manage every video in the back office' }],
  media: PUBLISH_MEDIA_NEEDS,

  async setup({ storedMedia, changes, db, auth, config, storage, media, jobs, routes, urls, secret, events, logger, outboundAllowedNetworks, ids, webhookSubscriptions, api: openapi }) {
    const fileChanges = changes.feed<{ owner?: string }>('files');
    const storageChanges = changes.feed<StorageChange>('storage');
    const files = fileModel(db, fileChanges, storageChanges);
    const lifecycle = new FileLifecycle(files, events);
    const folders = folderModel(db);
    const counters = continueLegacyCounters(db, ids);
    const fileService = new FileService(files, new Folders(folders, counters), storage, lifecycle, urls);
    const claims = new Claims(db);
    const shared = new SharedTranscodes(files, storage, claims, lifecycle);
    const transcode = jobs.handle(TRANSCODE);
    const ingest = new Ingest(files, storage, media, config.limits, transcode, lifecycle, counters, shared);
    const accountSettings = accountSettingsModel(db);
    const systemSettings = systemSettingsModel(db);
    const limits = new AccountLimits(config, systemSettings, accountSettings);
    const quotaOf = async (owner: string) => (await limits.assertMayUpload(owner)).quota;
    const storageIndex = new StorageIndex(files, storageChanges, logger);
    // What the storage quota counts: the owner's files, as their sources were received.
    const storedBytes = (owner: string) => storageIndex.bytesOf(owner);
    const usageDocs = usageModel(db);
    const usageChanges = changes.feed<UsageChange>('usage');
    const usage = new UsageMeter(usageDocs, logger, undefined, usageChanges);
    const usageDays = usageDayModel(db);
    const usageStats = new UsageStats(new UsageLedger(usageDocs, usageDays, usageChanges, logger), files, storageIndex, auth);
    const storageHistory = new StorageHistory(storageDayModel(db), storageIndex, logger);
    const systemStats = new SystemStats(systemSampleModel(db), logger, async () => encodingQueueOf(await storageIndex.pendingEncodings(), config.qualities));
    const compactor = new UsageCompactor(usageDocs, usageDays, usageSettleMs(config.usageFlushSeconds), logger, LANDED_WITHIN_MS, usageChanges);
    const tus = new TusUploads(storage, urls.webService('/api/uploads'), config.maxUploadBytes, quotaOf, config.uploadExpiryHours * 3600_000, storedBytes, logger, () => counters.next('upload'));
    // Other plugins (the editor) open a video by its player URL, read from storage, for its owner or a manager only.
    storedMedia.register(storedMediaResolver({ files, storage, urls, managePermission: MANAGE_PERMISSION }));
    const cookie = new MediaCookie(await secret('media-cookie'), config.mediaCookieTtlSeconds);

    const encodings = new Encodings(files, fileService, jobs, transcode, config.qualities, shared, lifecycle);
    const browserUploads = new TusUploads(storage, urls.backOffice('/uploads'), config.maxUploadBytes, quotaOf, config.uploadExpiryHours * 3600_000, storedBytes, logger);
    const tags = new Tags(tagModel(db), files, counters);
    const downloads = remoteDownloadModel(db);
    const webPages = new WebPages(webPageModel(db), counters);
    await adoptLegacyWebhooks(db, webhookSubscriptions);
    new WebhookDispatcher(webhookSubscriptions, logger).listen(events);
    const imports = new LibraryImports(files, fileService.folders, claims, counters, ingest, storage, logger);
    // Delivered from another plugin's persisted job, which waits for the video to exist (and runs again if it failed).
    events.on(LIBRARY_IMPORT, async (request) => void (await imports.take(request)));
    const captcha = new Captcha(await secret('captcha'), captchaClaimModel(db));
    const loginCaptcha = async (solution: string | undefined, account: string, address: string) => {
      if (!(await limits.loginCaptchaRequired())) return;
      // "Login after failures": the failures are the core throttle's, counted per account and per address in every process.
      const { captchaAfterFailures, maxFailures, failureWindowSeconds } = config.apiLogin;
      if (captchaAfterFailures > 0 && (await auth.signInFailures(account, address, { maxFailures, failureWindowSeconds })) < captchaAfterFailures) return;
      if (!(await captcha.verify(solution))) throw new BadRequestError('Captcha incorrect');
    };
    const userAuth = videocmsAuth({ db, auth, config: config.apiLogin, counters, jwtSecret: await secret('jwt'), urls, loginCaptcha, api: openapi });

    openapi.amend({
      title: 'mediahost publish web service',
      description:
        "OpenVeo's web service (/publish/videos) and VideoCMS's (/publish/api), behind a Bearer token: an application's from POST /token with the publish scope, a user's login token from POST /publish/api/auth/login, or a user's API key (ak_…). VideoCMS's field names are read case-insensitively (LinkID, linkId and linkid alike): the document names them in lower case.",
    });
    let captchaPurge: NodeJS.Timeout | undefined;
    const api = routes.webService({ scope: PUBLISH_SCOPE });
    for (const group of [
      userAuth.routes,
      uploadRoutes({ tus, ingest, files: fileService, auth, direct: { directory: storage.resolve('incoming'), maxBytes: config.maxUploadBytes }, usage, limits, api: openapi }),
      encodingRoutes({ encodings, files: fileService, auth, api: openapi }),
      adminEncodingRoutes({ encodings, auth, api: openapi }),
      versionCheckRoutes({ versions: new VersionCheck(config.versionCheck, storage.resolve('incoming'), outboundAllowedNetworks), auth, api: openapi }),
      videocmsRoutes({ files: fileService, tags, ingest, qualities: config.qualities, auth, urls, tus, api: openapi }),
      webhookRoutes({ subscriptions: webhookSubscriptions, auth, api: openapi }),
      remoteDownloadRoutes({ downloads: new RemoteDownloads(downloads, counters, jobs.handle(REMOTE_DOWNLOAD), limits), files: fileService, auth, api: openapi }),
      videoRoutes({ catalog: new VideoCatalog(files, new FileListCache(fileChanges), urls), auth, api: openapi }),
      accountRoutes({ stats: usageStats, settings: accountSettings, limits, storage: storageIndex, auth, api: openapi }),
      userRoutes({ auth, settings: accountSettings, limits, storage: storageIndex, api: openapi }),
      systemSettingsRoutes({ settings: systemSettings, limits, config, urls, auth, api: openapi }),
      webPageAdminRoutes({ pages: webPages, auth, api: openapi }),
      adminStatsRoutes({ stats: usageStats, storage: storageHistory, system: systemStats, auth, api: openapi }),
    ]) {
      api.use(group.routes());
    }
    routes.webServicePublic().use(userAuth.publicRoutes.routes(), publicConfigRoutes({ config, urls, limits, api: openapi }).routes(), webPagePublicRoutes({ pages: webPages, api: openapi }).routes());

    routes.public().use(
      playerRoutes({ files, cookie, urls, captcha, captchaRequired: (owner) => limits.playerCaptchaRequired(owner) }).routes(),
      captchaRoutes({ captcha, urls }).routes(), pageViewRoutes({ pages: webPages }).routes(), mediaRoutes({ files, storage, cookie, usage }).routes());

    routes.backOffice({ permission: MANAGE_PERMISSION }).use(manageRoutes({ files: fileService, encodings, tus: browserUploads, ingest, auth, urls, openers: () => storedMedia.openers() }).routes());
    routes.backOffice().use(manageAssetRoutes().routes());
    // The admin pages call the same VideoCMS admin routes as the web service, as the signed-in user; like those, they
    // are for an admin (roles granting every permission): creating users is no lesser right than publish.manage.
    routes.backOffice({ permission: ADMIN_PERMISSION }).use(
      adminPageRoutes({ urls }).routes(),
      userRoutes({ auth, settings: accountSettings, limits, storage: storageIndex }).routes(),
      systemSettingsRoutes({ settings: systemSettings, limits, config, urls, auth }).routes(),
      webPageAdminRoutes({ pages: webPages, auth }).routes(),
      adminStatsRoutes({ stats: usageStats, storage: storageHistory, system: systemStats, auth }).routes(),
      adminEncodingRoutes({ encodings, auth }).routes(),
    );

    return {
      backOfficePages: [
        { path: '/', label: 'Videos', permission: MANAGE_PERMISSION },
        { path: '/admin', label: 'Video platform', permission: ADMIN_PERMISSION },
      ],
      webServiceAuth: [userAuth.authenticator],
      jobs: [
        remoteDownloadJob({
          downloads,
          files: fileService,
          ingest,
          storage,
          config,
          allowedNetworks: outboundAllowedNetworks,
          usage,
          assertRoomToStore: async (owner, bytes) => assertRoomToStore((await limits.of(owner)).quota, bytes, 0, await storedBytes(owner)),
        }),
        transcodeJob({
          lifecycle,
          storage,
          media,
          config,
          shared,
          onFinished: (file) => recordEncoding(usage, file),
        }),
      ],
      async start() {
        usage.start(config.usageFlushSeconds * 1000);
        // Every process summarises closed days (safe concurrently): usage charts do not wait on any one process.
        compactor.start(COMPACT_EVERY_MS);
      },
      async stop() {
        await Promise.all([usage.stop(), compactor.stop()]);
      },
      roles: {
        ws: bothHooks(uploadSweep(tus, storage.resolve('incoming'), config.uploadExpiryHours * 3600_000, logger), {
          start: () => {
            storageHistory.start();
            systemStats.start(config.systemSampleSeconds * 1000);
            captchaPurge = setInterval(() => void captcha.purge().catch((error: unknown) => logger.warn('could not purge captcha claims', { error })), 3600_000);
            captchaPurge.unref();
          },
          stop: () => {
            clearInterval(captchaPurge);
            systemStats.stop();
            return storageHistory.stop();
          },
        }),
      },
    };
  },
};

function bothHooks(first: LifecycleHooks, second: LifecycleHooks): LifecycleHooks {
  return {
    start: async () => {
      await first.start?.();
      await second.start?.();
    },
    stop: async () => {
      await Promise.all([first.stop?.(), second.stop?.()]);
    },
  };
}

/** The seconds a transcode ran, once it is over (a copy that reused another's media ran none). */
function recordEncoding(usage: UsageMeter, file: FileDoc): void {
  const { startedAt, finishedAt, sharedFrom } = file.encoding ?? {};
  if (sharedFrom || !startedAt || !finishedAt) return;
  usage.record('encoding', file.owner, (new Date(finishedAt).getTime() - new Date(startedAt).getTime()) / 1000, { fileId: file._id });
}

export default publish;
