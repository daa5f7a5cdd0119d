import path from 'node:path';
import { TokenKeyRing } from '../auth/tokenKeys.js';
import { loadCoreConf } from '../config/loadCoreConf.js';
import { databaseConfSchema } from '../config/schemas.js';
import { ensureFerretdbBinary } from '../db/ferretdbBinary.js';
import { ConfigError, HttpError, StartupError } from '../errors.js';
import { loadConfFile } from '../config/loadConfFile.js';
import { closeLogger } from '../log/createLogger.js';
import { createApplicationCommand, createUserCommand } from './adminCommands.js';
import { parseInvocation, USAGE, UsageError } from './argv.js';
import { createPlatform } from './platform.js';
import { serve } from './serve.js';

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function run(argv: string[], rootDir: string): Promise<void> {
  const { command, confDir: confArg } = parseInvocation(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const confDir = path.resolve(confArg ?? process.env.MEDIAHOST_CONF ?? path.join(rootDir, 'conf'));
  if (command.kind === 'install-database') {
    const database = await loadConfFile(confDir, 'databaseConf.json', databaseConfSchema, { optional: true });
    const binary = await ensureFerretdbBinary(database.embedded.binary && path.resolve(rootDir, database.embedded.binary), progress);
    process.stdout.write(`FerretDB ready: ${binary}\n`);
    return;
  }
  const conf = await loadCoreConf(confDir, rootDir);
  if (command.kind === 'rotate-token-key') {
    await TokenKeyRing.rotate(path.join(conf.dataDir, 'secrets'));
    process.stdout.write('New access tokens are signed with a new key; those signed with the previous one stay valid until they expire.\n');
    return;
  }
  if (command.kind === 'serve') {
    await serve(await createPlatform(conf, command.role, progress));
    return;
  }
  const platform = await createPlatform(conf, 'app', progress, { setupPlugins: false });
  try {
    if (command.kind === 'create-user') await createUserCommand(platform, command.email, command.role);
    else await createApplicationCommand(platform, command.name, command.scopes);
  } finally {
    await platform.db.close();
    await closeLogger(platform.logger);
  }
}

/** Entry point of server.js. Operator mistakes print one clear line and exit non-zero, without a stack. */
export async function main(argv: string[], rootDir: string): Promise<void> {
  try {
    await run(argv, rootDir);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof ConfigError || error instanceof StartupError || error instanceof HttpError) {
      process.stderr.write(`mediahost: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`mediahost: unexpected error\n${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
}
