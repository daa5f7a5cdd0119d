import type { PluginUrls } from './contract.js';
import { surfacePrefix } from './routeGroups.js';

/** Where the back office (and the public pages on its port) and the web service are reached from outside. */
export interface BaseUrls {
  backOffice: string;
  webService: string;
}

function below(prefix: string, path = ''): string {
  if (path && !path.startsWith('/')) throw new Error(`A plugin URL path starts with "/": got "${path}"`);
  return `${prefix}${path}`;
}

export function pluginUrls(plugin: string, bases: BaseUrls): PluginUrls {
  const webService = (path?: string) => below(surfacePrefix('webService', plugin), path);
  const backOffice = (path?: string) => below(surfacePrefix('backOffice', plugin), path);
  const publicPath = (path?: string) => below(surfacePrefix('public', plugin), path);
  return {
    webService,
    backOffice,
    public: publicPath,
    absolute: {
      site: bases.backOffice,
      webService: (path) => `${bases.webService}${webService(path)}`,
      backOffice: (path) => `${bases.backOffice}${backOffice(path)}`,
      public: (path) => `${bases.backOffice}${publicPath(path)}`,
    },
  };
}
