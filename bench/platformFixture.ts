import { createHash, randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { acquireEmbeddedDatabase } from '../core/src/db/embeddedDatabase.js';
import { freePort, rootDir, runNode, startServerProcess } from './processes.js';

export type Defer = (task: () => Promise<unknown>) => void;

interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface WebService extends Credentials {
  url: string;
  /** The web-service process, to weigh its CPU time. */
  pid: number;
}

export interface PlatformOptions {
  plugins: string[];
  /** The scopes of the application the bench calls the web service with. */
  scopes: string[];
  /** Plugin conf files, e.g. publishConf.json. */
  confFiles?: Record<string, unknown>;
  /** Also start the back office (`node server.js`), which runs the jobs. */
  backOffice?: boolean;
  /** Other applications in the database before the processes start (the hot paths must not slow down with them). */
  extraApplications?: number;
  /** Ready files of the bench's application in the publish library before the processes start. */
  libraryFiles?: number;
  /** Traffic of that many of those files on each of that many past days, as flushed by the processes (`publish_usage`). */
  usageHistory?: { files: number; days: number };
  /** More serverConf.json settings (storage, jobs). */
  server?: Record<string, unknown>;
}

export interface Platform extends WebService {
  /** The back office's URL and process when it was started. */
  appUrl?: string;
  appPid?: number;
  dataDir: string;
  /** The platform's database, for a bench that waits on what the processes do to it. */
  databaseUri: string;
  databaseName: string;
  confDir: string;
}

const serverJs = path.join(rootDir, 'server.js');
export const examplePlugin = path.join(rootDir, 'docs/example-plugin/dist/index.js');

async function writeConf(confDir: string, logDir: string, dataDir: string, dbDir: string, database: string, options: PlatformOptions): Promise<void> {
  const files: Record<string, unknown> = {
    'serverConf.json': { port: await freePort(), dataDir, plugins: options.plugins, ws: { port: await freePort() }, ...options.server },
    'loggerConf.json': Object.fromEntries(['app', 'ws', 'worker'].map((name) => [name, { fileName: path.join(logDir, `${name}.log`), level: 'warn' }])),
    'databaseConf.json': { database, embedded: { dataDir: dbDir } },
    ...options.confFiles,
  };
  await mkdir(confDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(confDir, name), JSON.stringify(content, null, 2));
}

async function createApplication(confDir: string, scopes: string[]): Promise<Credentials> {
  const { code, stdout, stderr } = await runNode([serverJs, '--create-application', 'bench', '--scopes', scopes.join(','), '--conf', confDir]);
  if (code !== 0) throw new Error(`--create-application exited with ${code}:\n${stdout}${stderr}`);
  const { clientId, clientSecret } = JSON.parse(stdout) as Credentials;
  return { clientId, clientSecret };
}

/** Applications as the core stores them (hashed secrets), written straight into the database. */
async function insertApplications(uri: string, dbName: string, count: number, scopes: string[]): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    const now = new Date();
    const docs = Array.from({ length: count }, (_, i) => ({
      name: `extra ${i}`,
      clientId: randomBytes(16).toString('hex'),
      secretHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
      scopes,
      generation: now.getTime(),
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < docs.length; i += 500) await connection.collection('core_applications').insertMany(docs.slice(i, i + 500));
  } finally {
    await connection.close();
  }
}

/** Ready files owned by the application of `clientId`, as the publish plugin stores them. */
async function insertLibrary(uri: string, dbName: string, clientId: string, count: number): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    const app = await connection.collection('core_applications').findOne({ clientId });
    if (!app) throw new Error(`no application ${clientId}`);
    const owner = `app:${String(app._id)}`;
    const now = Date.now();
    const docs = Array.from({ length: count }, (_, i) => ({
      _id: randomUUID(),
      linkId: i + 1,
      owner,
      name: `lecture ${i}.mp4`,
      folderId: null,
      sha256: createHash('sha256').update(String(i)).digest('hex'),
      size: 50_000_000,
      sourceName: 'source.mp4',
      status: 'ready',
      durationSeconds: 600,
      width: 1920,
      height: 1080,
      fps: 25,
      audio: [{ id: 'a1', index: 1, codec: 'aac', channels: 2 }],
      subtitles: [],
      renditions: [{ name: '1080p', width: 1920, height: 1080, videoBitrateKbps: 5000 }],
      thumbnails: 10,
      views: i % 50,
      tags: [],
      encoding: { status: 'ready', progress: 100, attempts: 1 },
      createdAt: new Date(now - i * 60_000),
      updatedAt: new Date(now - i * 60_000),
    }));
    for (let i = 0; i < docs.length; i += 500) await connection.collection('publish_files').insertMany(docs.slice(i, i + 500) as never[]);
  } finally {
    await connection.close();
  }
}

/** A flush document per file and day, as UsageMeter writes them, for the first `files` files of the library. */
async function insertUsageHistory(uri: string, dbName: string, clientId: string, { files, days }: { files: number; days: number }): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    const app = await connection.collection('core_applications').findOne({ clientId });
    const owner = `app:${String(app!._id)}`;
    const fileIds = (await connection.collection('publish_files').find({ owner }, { projection: { _id: 1 } }).limit(files).toArray()).map((f) => String(f._id));
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    for (let ago = 1; ago <= days; ago += 1) {
      const day = new Date(today - ago * 86_400_000);
      const docs = fileIds.map((fileId, i) => ({ _id: `bench:${ago}:${i}`, day, kind: 'traffic', owner, fileId, label: null, value: 1_000_000 + i }));
      await connection.collection('publish_usage').insertMany(docs as never[]);
    }
  } finally {
    await connection.close();
  }
}

/** Our web-service process (and the back office if asked) on a fresh database, and an application with the given scopes. */
export async function startPlatform(defer: Defer, options: PlatformOptions): Promise<Platform> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-'));
  defer(() => rm(base, { recursive: true, force: true }));
  const dbDir = path.join(base, 'db');
  const database = await acquireEmbeddedDatabase(dbDir, process.env.MEDIAHOST_FERRETDB_BIN, (line) => process.stderr.write(`${line}\n`));
  defer(() => database.release());

  const confDir = path.join(base, 'conf');
  const dataDir = path.join(base, 'data');
  const databaseName = `bench_${randomBytes(4).toString('hex')}`;
  await writeConf(confDir, path.join(base, 'logs'), dataDir, dbDir, databaseName, options);
  const credentials = await createApplication(confDir, options.scopes);
  if (options.extraApplications) await insertApplications(database.uri, databaseName, options.extraApplications, options.scopes);
  if (options.libraryFiles) await insertLibrary(database.uri, databaseName, credentials.clientId, options.libraryFiles);
  if (options.usageHistory) await insertUsageHistory(database.uri, databaseName, credentials.clientId, options.usageHistory);

  const ws = await startServerProcess([serverJs, '-ws', '--conf', confDir]);
  defer(() => ws.stop());
  let app: { url: string; pid: number } | undefined;
  if (options.backOffice) {
    const started = await startServerProcess([serverJs, '--conf', confDir]);
    defer(() => started.stop());
    app = started;
  }
  return { url: ws.url, pid: ws.pid, appUrl: app?.url, appPid: app?.pid, dataDir, databaseUri: database.uri, databaseName, confDir, ...credentials };
}

/** One more `node server.js -worker` of the platform (same conf: same database, storage and data folder). */
export async function startWorker(defer: Defer, platform: Platform): Promise<void> {
  const worker = await startServerProcess([serverJs, '-worker', '--conf', platform.confDir], 60_000, /worker running jobs/);
  defer(() => worker.stop());
}

/** Our web-service process with the example plugin, and an application allowed the "hello" scope. */
export async function startWebService(defer: Defer, options: Pick<PlatformOptions, 'extraApplications'> = {}): Promise<WebService> {
  const { url, pid, clientId, clientSecret } = await startPlatform(defer, { plugins: [examplePlugin], scopes: ['hello'], ...options });
  return { url, pid, clientId, clientSecret };
}

/** A Bearer token of the platform's application, by the client-credentials grant. */
export async function bearerToken({ url, clientId, clientSecret }: WebService): Promise<string> {
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  if (!response.ok) throw new Error(`POST /token answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
