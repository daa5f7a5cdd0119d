// A stand-in for one mediahost process: acquires the embedded database in argv[2], prints its URI, releases it when stdin closes.
import { acquireEmbeddedDatabase } from '../../core/dist/db/embeddedDatabase.js';

const database = await acquireEmbeddedDatabase(process.argv[2], process.env.MEDIAHOST_FERRETDB_BIN, () => undefined);
process.stdout.write(`${database.uri}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await database.release();
  process.stdout.write('released\n');
  process.exit(0);
});
