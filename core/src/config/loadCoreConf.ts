import path from 'node:path';
import { loadConfFile } from './loadConfFile.js';
import {
  databaseConfSchema,
  loggerConfSchema,
  serverConfSchema,
  type DatabaseConf,
  type LoggerConf,
  type ServerConf,
} from './schemas.js';

export interface CoreConf {
  confDir: string;
  /** The installation folder: relative paths in conf/ are resolved from here. */
  rootDir: string;
  dataDir: string;
  server: ServerConf;
  logger: LoggerConf;
  database: DatabaseConf;
}

export async function loadCoreConf(confDir: string, rootDir: string): Promise<CoreConf> {
  const server = await loadConfFile(confDir, 'serverConf.json', serverConfSchema);
  const logger = await loadConfFile(confDir, 'loggerConf.json', loggerConfSchema);
  const database = await loadConfFile(confDir, 'databaseConf.json', databaseConfSchema, { optional: true });
  return { confDir, rootDir, dataDir: path.resolve(rootDir, server.dataDir), server, logger, database };
}
