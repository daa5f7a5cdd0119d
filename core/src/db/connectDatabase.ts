import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { CoreConf } from '../config/loadCoreConf.js';
import { StartupError } from '../errors.js';
import { acquireEmbeddedDatabase } from './embeddedDatabase.js';

export interface Database {
  connection: Connection;
  close(): Promise<void>;
}

/** Connects to conf's MongoDB URI, or to the embedded FerretDB (started if needed). */
export async function connectDatabase(conf: CoreConf, progress: (line: string) => void): Promise<Database> {
  const embedded = conf.database.uri
    ? undefined
    : await acquireEmbeddedDatabase(
        path.resolve(conf.dataDir, conf.database.embedded.dataDir),
        conf.database.embedded.binary && path.resolve(conf.rootDir, conf.database.embedded.binary),
        progress,
      );
  const uri = conf.database.uri ?? embedded!.uri;
  const connection = mongoose.createConnection(uri, {
    dbName: conf.database.database,
    serverSelectionTimeoutMS: 10_000,
    autoIndex: true,
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await embedded?.release();
    const where = conf.database.uri ? 'conf/databaseConf.json uri' : 'the embedded FerretDB';
    throw new StartupError(`Cannot connect to the database (${where}): ${(error as Error).message}`);
  }
  return {
    connection,
    close: async () => {
      await connection.close();
      await embedded?.release();
    },
  };
}
