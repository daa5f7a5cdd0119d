import { PUBLISH_EXPORT, publishExportJob } from './jobs/publishExport.js';
import { existsSync } from 'node:fs';
import { useErrorFormat, type Plugin } from '@mediahost/core';
import { wevAuthenticator } from './auth/wevAuthenticator.js';
import { wevErrorFormat } from './auth/wevErrors.js';
import { editorConfigSchema, type EditorConfig } from './config.js';
import { INGEST, ingestJob } from './jobs/ingestMedia.js';
import { browserGrantModel } from './models/browserAccess.js';
import { Claims } from './models/claims.js';
import { continueLegacyIds } from './models/legacyIds.js';
import { editorUserModel } from './models/editorUser.js';
import { folderModel } from './models/folder.js';
import { accountModel, instanceModel } from './models/instance.js';
import { mediaFileModel } from './models/mediaFile.js';
import { roleModel } from './models/role.js';
import { ticketModel } from './models/ticket.js';
import { usageEventModel } from './models/usageEvent.js';
import { adoptLegacyWebhooks } from './models/webhook.js';
import { storedMediaRoutes } from './routes/backoffice/storedMedia.js';
import { ssoLoginRoutes } from './routes/public/ssoLogin.js';
import { uploadRoutes } from './routes/public/uploads.js';
import { accountRoutes } from './routes/ws/accounts.js';
import { mediaRoutes } from './routes/ws/media.js';
import { ssoRoutes } from './routes/ws/sso.js';
import { timelineRoutes } from './routes/ws/timelines.js';
import { webhookRoutes } from './routes/ws/webhooks.js';
import { exportRoutes } from './routes/ws/exports.js';
import { fontRoutes } from './routes/ws/fonts.js';
import { reportRoutes } from './routes/ws/reports.js';
import { editorRoutes } from './routes/public/editor.js';
import { exportFileRoutes } from './routes/public/exportFiles.js';
import { RENDER, renderJob } from './jobs/renderExport.js';
import { exportModel } from './models/exportJob.js';
import { fontModel } from './models/font.js';
import { Exports } from './services/exports.js';
import { Fonts } from './services/fonts.js';
import { templateModel, timelineModel } from './models/timeline.js';
import { Templates } from './services/templates.js';
import { Timelines } from './services/timelines.js';
import { Access } from './services/access.js';
import { EDITOR_MEDIA_NEEDS } from './services/mediaNeeds.js';
import { Folders } from './services/folders.js';
import { Instances } from './services/instances.js';
import { Intake } from './services/intake.js';
import { MediaFiles } from './services/mediaFiles.js';
import { Roles } from './services/roles.js';
import { SessionAccess } from './services/sessionAccess.js';
import { Sso } from './services/sso.js';
import { Usage } from './services/usage.js';
import { Users } from './services/users.js';
import { EditorWebhooks } from './services/webhooks.js';
import { expiredAccessSweep } from './services/expiredAccessSweep.js';
import { describeWevApi } from './auth/wevApiDescription.js';

/** Claims of the WEV signatures already accepted, kept for twice the signature window. */
const WEV_SIGNATURE_CLAIM = 'wev';
const EDITOR_SCOPE = 'editor';

/** The embedded video editor and its WeVideo-compatible API (/editor/api/3, /editor/api/4). */
const editor: Plugin<EditorConfig> = {
  name: 'editor',
  config: editorConfigSchema,
  scopes: [{ id: EDITOR_SCOPE, description: 'Editor web-service API (WeVideo-compatible)' }],
  permissions: [{ id: 'editor.manage', description: 'Manage the editor plugin' }],
  media: EDITOR_MEDIA_NEEDS,

  async setup({ storedMedia, db, auth, config, media, logger, jobs, events, storage, routes, urls, secret, outboundAllowedNetworks, ids: numericIds, webhookSubscriptions, api: openapi }) {
    const claims = new Claims(db);
    const ids = continueLegacyIds(db, numericIds);
    const folders = new Folders(folderModel(db), ids);
    const roles = new Roles(roleModel(db), ids);
    const users = new Users(await editorUserModel(db), ids, roles, folders);
    const instances = new Instances(instanceModel(db), accountModel(db), ids, folders, roles, users, config.defaultLicenses);
    const access = new Access(instances, users);
    const sessionMs = config.sessionHours * 3600_000;
    const sso = new Sso(browserGrantModel(db), claims, config.loginTokenSeconds * 1000, sessionMs);
    const files = new MediaFiles(mediaFileModel(db));
    const tickets = ticketModel(db);
    const usage = new Usage(usageEventModel(db));
    await adoptLegacyWebhooks(db, webhookSubscriptions);
    const webhooks = new EditorWebhooks(webhookSubscriptions);
    const intake = new Intake(tickets, claims, folders, jobs.handle(INGEST), storage, await secret('upload-urls'), urls, {
      maxFileBytes: config.maxFileBytes,
      uploadTicketMs: config.uploadTicketMinutes * 60_000,
    }, storedMedia);

    const timelines = new Timelines(timelineModel(db), files.files, ids, webhooks, usage);
    const templates = new Templates(templateModel(db), ids, timelines, webhooks);
    const editorUrl = (timelineId: number) => urls.absolute.public(`/api/3/editor/${timelineId}`);
    const signingKey = await secret('signed-urls');
    const exports = new Exports(exportModel(db), timelines, jobs.handle(RENDER), webhooks, signingKey, urls, instances);
    const defaultFonts = Object.fromEntries(Object.entries(config.defaultFonts).filter(([name, file]) => {
      if (existsSync(file)) return true;
      logger.warn('default font left out: its file does not exist', { name, file });
      return false;
    }));
    const fonts = new Fonts(fontModel(db), ids, storage, defaultFonts, { allowedNetworks: outboundAllowedNetworks, timeoutMs: config.importTimeoutSeconds * 1000 });

    describeWevApi(openapi);
    const api = routes.webService({ scope: EDITOR_SCOPE });
    api.use(useErrorFormat(wevErrorFormat));
    for (const group of [
      accountRoutes({ access, roles, auth, api: openapi }),
      ssoRoutes({ access, sso, auth, api: openapi }),
      mediaRoutes({ access, folders, intake, files, auth, api: openapi }),
      timelineRoutes({ access, timelines, templates, files, auth, editorUrl, api: openapi }),
      webhookRoutes({ access, webhooks, auth, api: openapi }),
      exportRoutes({ access, timelines, exports, auth, api: openapi }),
      fontRoutes({ access, fonts, auth, api: openapi }),
      reportRoutes({ access, usage, auth, api: openapi }),
    ]) {
      api.use(group.routes());
    }

    // Any signed-in user: the provider of the media decides who may see it.
    routes.backOffice().use(storedMediaRoutes({ access, intake, auth }).routes());
    storedMedia.addOpener({ label: 'Open in editor', action: urls.backOffice('/api/stored-media') });

    const browserSide = routes.public();
    browserSide.use(useErrorFormat(wevErrorFormat));
    const sessionAccess = new SessionAccess(users, roles, instances, timelines, files);
    for (const group of [
      ssoLoginRoutes({ sso, sessionMs, urls }),
      uploadRoutes({ intake }),
      exportFileRoutes({ exports, storage }),
      editorRoutes({ sso, access: sessionAccess, users, instances, timelines, files, exports, fonts, storage, urls }),
    ]) {
      browserSide.use(group.routes());
    }

    return {
      webServiceAuth: [wevAuthenticator(auth, config.signatureWindowSeconds, (key) => claims.claim(`${WEV_SIGNATURE_CLAIM}:${key}`), (message, meta) => logger.warn(message, meta))],
      jobs: [
        ingestJob({ tickets, files: files.files, ids, storage, media, config, allowedNetworks: outboundAllowedNetworks, webhooks, usage, storedMedia, findUser: auth.findUser }),
        renderJob({ exports, files: files.files, timelines, instances, users, fonts, ids, storage, media, config, webhooks, usage, toLibrary: jobs.handle(PUBLISH_EXPORT) }),
        publishExportJob({ exports, instances, storage, events, editorUrl }),
      ],
      roles: { app: expiredAccessSweep({ sso, claims, signatureClaim: WEV_SIGNATURE_CLAIM, signatureWindowSeconds: config.signatureWindowSeconds, logger }) },
    };
  },
};

export default editor;
