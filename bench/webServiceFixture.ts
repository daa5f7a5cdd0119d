import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { acquireEmbeddedDatabase } from '../core/dist/db/embeddedDatabase.js';
import { freePort, rootDir, runNode, startServerProcess } from './processes.js';

export type Defer = (task: () => Promise<unknown>) => void;

interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface WebService extends Credentials {
  url: string;
}

const serverJs = path.join(rootDir, 'server.js');
const examplePlugin = path.join(rootDir, 'docs/example-plugin/dist/index.js');

async function writeConf(confDir: string, logDir: string, dataDir: string, dbDir: string): Promise<void> {
  const files: Record<string, unknown> = {
    'serverConf.json': { port: await freePort(), dataDir, plugins: [examplePlugin], ws: { port: await freePort() } },
    'loggerConf.json': Object.fromEntries(['app', 'ws', 'worker'].map((name) => [name, { fileName: path.join(logDir, `${name}.log`), level: 'warn' }])),
    'databaseConf.json': { database: `bench_${randomBytes(4).toString('hex')}`, embedded: { dataDir: dbDir } },
  };
  await mkdir(confDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(confDir, name), JSON.stringify(content, null, 2));
}

async function createApplication(confDir: string): Promise<Credentials> {
  const { code, stdout, stderr } = await runNode([serverJs, '--create-application', 'bench', '--scopes', 'hello', '--conf', confDir]);
  if (code !== 0) throw new Error(`--create-application exited with ${code}:\n${stdout}${stderr}`);
  const { clientId, clientSecret } = JSON.parse(stdout) as Credentials;
  return { clientId, clientSecret };
}

/** Our web-service process with the example plugin, on a fresh database, and an application allowed the "hello" scope. */
export async function startWebService(defer: Defer): Promise<WebService> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-'));
  defer(() => rm(base, { recursive: true, force: true }));
  const dbDir = path.join(base, 'db');
  const database = await acquireEmbeddedDatabase(dbDir, process.env.MEDIAHOST_FERRETDB_BIN, (line) => process.stderr.write(`${line}\n`));
  defer(() => database.release());

  const confDir = path.join(base, 'conf');
  await writeConf(confDir, path.join(base, 'logs'), path.join(base, 'data'), dbDir);
  const credentials = await createApplication(confDir);

  const ws = await startServerProcess([serverJs, '-ws', '--conf', confDir]);
  defer(() => ws.stop());
  return { url: ws.url, ...credentials };
}
