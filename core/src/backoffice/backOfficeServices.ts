import type { LoginThrottle } from '../auth/loginThrottle.js';
import type { CoreConf } from '../config/loadCoreConf.js';
import type { Applications } from '../identity/applications.js';
import type { Catalog } from '../identity/catalog.js';
import type { Groups } from '../identity/groups.js';
import type { Roles } from '../identity/roles.js';
import type { Users } from '../identity/users.js';
import type { Logger } from '../log/createLogger.js';
import type { ApiDescription } from '../openapi/apiDescription.js';
import type { Plugin, PluginParts } from '../plugins/contract.js';

/**
 * What the back-office pages and API use of the platform. boot/ builds the platform and mounts these routes: naming
 * the few services they need, rather than the whole Platform, keeps this folder from importing the one that imports it.
 */
export interface BackOfficeServices {
  conf: { server: Pick<CoreConf['server'], 'signInThrottle'> };
  logger: Logger;
  catalog: Catalog;
  users: Users;
  roles: Roles;
  groups: Groups;
  applications: Applications;
  loginThrottle: LoginThrottle;
  /** `api`: the plugin's web-service API, for the API reference. */
  plugins: { plugin: Pick<Plugin<unknown>, 'name'>; parts: Pick<PluginParts, 'backOfficePages'>; api?: ApiDescription }[];
}
