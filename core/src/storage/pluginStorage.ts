import path from 'node:path';
import type { ServerConf } from '../config/schemas.js';
import { LocalStorage } from './localStorage.js';
import { createS3Client, S3Storage } from './s3Storage.js';
import { scratchRootOf } from './scratch.js';
import type { Storage } from './storage.js';

/** Makes each plugin's Storage on the backend serverConf.json `storage` names; the S3 client is shared by all. */
export function pluginStorageFactory(conf: ServerConf['storage'], dataDir: string): (plugin: string) => Storage {
  const localRoot = (plugin: string) => path.join(dataDir, 'storage', plugin);
  if (conf.type === 'local') return (plugin) => new LocalStorage(localRoot(plugin));
  const client = createS3Client(conf);
  return (plugin) => new S3Storage(client, conf, plugin, localRoot(plugin), path.join(scratchRootOf(dataDir), plugin));
}
