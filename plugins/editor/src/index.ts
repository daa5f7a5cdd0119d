import { Router, useErrorFormat, type Plugin } from '@mediahost/core';
import { wevAuthenticator } from './auth/wevAuthenticator.js';
import { wevErrorFormat } from './auth/wevErrors.js';
import { editorConfigSchema, type EditorConfig } from './config.js';
import { NumericIds } from './models/counter.js';
import { editorUserModel } from './models/editorUser.js';
import { folderModel } from './models/folder.js';
import { accountModel, instanceModel } from './models/instance.js';
import { roleModel } from './models/role.js';
import { accountRoutes } from './routes/ws/accounts.js';
import { Access } from './services/access.js';
import { Folders } from './services/folders.js';
import { Instances } from './services/instances.js';
import { Roles } from './services/roles.js';
import { Users } from './services/users.js';

/** The embedded video editor and its WeVideo-compatible API (/editor/api/3, /editor/api/4). */
const editor: Plugin<EditorConfig> = {
  name: 'editor',
  config: editorConfigSchema,
  scopes: [{ id: 'editor', description: 'Editor web-service API (WeVideo-compatible)' }],
  permissions: [{ id: 'editor.manage', description: 'Manage the editor plugin' }],

  async setup({ db, auth, config, logger }) {
    const ids = new NumericIds(db);
    const folders = new Folders(folderModel(db), ids);
    const roles = new Roles(roleModel(db), ids);
    const users = new Users(editorUserModel(db), ids, roles, folders);
    const instances = new Instances(instanceModel(db), accountModel(db), ids, folders, roles, users, config.defaultLicenses);
    const access = new Access(instances, users);

    const webService = new Router();
    webService.use(useErrorFormat(wevErrorFormat));
    webService.get('/health', (ctx) => {
      ctx.body = { plugin: 'editor', status: 'ok' };
    });
    webService.use(accountRoutes(access, roles, auth).routes());

    const publicRoutes = new Router().get('/health', (ctx) => {
      ctx.body = { plugin: 'editor', status: 'ok' };
    });
    return {
      webService,
      public: publicRoutes,
      webServiceAuth: [wevAuthenticator(auth, config.signatureWindowSeconds, (message, meta) => logger.warn(message, meta))],
    };
  },
};

export default editor;
