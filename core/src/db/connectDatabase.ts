import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { CoreConf } from '../config/loadCoreConf.js';
import { StartupError } from '../errors.js';
import type { Logger } from '../log/createLogger.js';
import { acquireEmbeddedDatabase } from './embeddedDatabase.js';
import { failFastWhileDown } from './failFast.js';

export interface Database {
  connection: Connection;
  close(): Promise<void>;
}

/**
 * A request waits at most this long for an unreachable database before failing as unavailable (503),
 * instead of mongoose's 10 s queue; the driver keeps reconnecting by itself in the background.
 */
export const SERVER_SELECTION_TIMEOUT_MS = 2500;
/** How often the driver checks the server: after an outage, the connection is back within about this. */
const HEARTBEAT_FREQUENCY_MS = 1000;

/** Connects to conf's MongoDB URI, or to the embedded FerretDB (started if needed, and restarted if it crashes). */
export async function connectDatabase(conf: CoreConf, progress: (line: string) => void, logger?: Logger): Promise<Database> {
  const embedded = conf.database.uri
    ? undefined
    : await acquireEmbeddedDatabase(
        path.resolve(conf.dataDir, conf.database.embedded.dataDir),
        conf.database.embedded.binary && path.resolve(conf.rootDir, conf.database.embedded.binary),
        progress,
        (event, details) => {
          if (event === 'restarted') logger?.warn('the embedded FerretDB was down: restarted it', details);
          else logger?.error('could not restart the embedded FerretDB', details);
        },
      );
  const uri = conf.database.uri ?? embedded!.uri;
  const connection = mongoose.createConnection(uri, {
    dbName: conf.database.database,
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    heartbeatFrequencyMS: HEARTBEAT_FREQUENCY_MS,
    // A server restarting may accept a connection before it answers: bound the handshake like server selection.
    connectTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    // Queued operations would wait for a reconnection up to 10 s; without the queue the driver fails them after its server selection timeout.
    bufferCommands: false,
    autoIndex: true,
  });
  // Applied to every model this connection compiles (they are all defined after this point).
  connection.plugin(failFastWhileDown(connection));
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
