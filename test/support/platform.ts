import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseDir, testRoot, uniqueDatabaseName } from './globalDatabase.js';
import { watchLogsOnFailure } from './failureLogs.js';
import { freePort } from './ports.js';
import { track } from './serverProcesses.js';

export const rootDir = fileURLToPath(new URL('../../', import.meta.url));
export const serverJs = path.join(rootDir, 'server.js');
export const examplePlugin = path.join(rootDir, 'docs/example-plugin/dist/index.js');

export interface TestConf {
  confDir: string;
  dataDir: string;
  logDir: string;
  appPort: number;
  wsPort: number;
  /** The live plugin's own port (liveConf.json), so platforms running side by side do not collide on its default. */
  livePort: number;
  database: string;
}

export interface ConfOptions {
  plugins?: string[];
  server?: Record<string, unknown>;
  ws?: Record<string, unknown>;
  /** Extra files for the conf folder, e.g. helloConf.json. */
  files?: Record<string, unknown>;
}

/** A conf folder of its own: free ports, a new database on the run's FerretDB, logs and data in a temporary folder. */
export async function makeConf(options: ConfOptions = {}): Promise<TestConf> {
  const base = await mkdtemp(path.join(testRoot(), 'platform-'));
  const conf: TestConf = {
    confDir: path.join(base, 'conf'),
    dataDir: path.join(base, 'data'),
    logDir: path.join(base, 'logs'),
    appPort: await freePort(),
    wsPort: await freePort(),
    livePort: await freePort(),
    database: uniqueDatabaseName('e2e'),
  };
  await mkdir(conf.confDir, { recursive: true });
  watchLogsOnFailure(conf.logDir);
  const files: Record<string, unknown> = {
    'serverConf.json': {
      port: conf.appPort,
      dataDir: conf.dataDir,
      plugins: options.plugins ?? ['publish', 'live', 'editor', examplePlugin],
      jobs: { pollIntervalMs: 200 },
      shutdownTimeoutMs: 3000,
      ...options.server,
      ws: { port: conf.wsPort, ...options.ws },
    },
    'loggerConf.json': Object.fromEntries(
      ['app', 'ws', 'worker'].map((name) => [name, { fileName: path.join(conf.logDir, `${name}.log`), level: 'debug', maxFileSize: 1048576, maxFiles: 2 }]),
    ),
    'databaseConf.json': { database: conf.database, embedded: { dataDir: databaseDir() } },
    'helloConf.json': { greeting: 'Bonjour', stepMs: 200 },
    'liveConf.json': { port: conf.livePort, host: '127.0.0.1' },
    ...options.files,
  };
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(conf.confDir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return conf;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node server.js ARGS --conf DIR` to completion (admin commands, failing starts). */
export function runServerJs(args: string[], { conf, stdin, timeoutMs = 30_000 }: { conf?: TestConf; stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [serverJs, ...args, ...(conf ? ['--conf', conf.confDir] : [])], { cwd: rootDir, stdio: ['pipe', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server.js ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

export interface RunningProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node server.js [-ws]` and resolves once it listens. */
export function startProcess(conf: TestConf, role: 'app' | 'ws' | 'worker'): Promise<RunningProcess> {
  const args = role === 'ws' ? ['-ws'] : role === 'worker' ? ['-worker'] : [];
  const child = track(spawn(process.execPath, [serverJs, ...args, '--conf', conf.confDir], { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server.js ${args.join(' ')} did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)|worker running jobs/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1] ?? '',
        output: () => output,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server.js ${args.join(' ')} exited with ${code} before listening:\n${output}`));
    });
  });
}

export interface Platform {
  conf: TestConf;
  app: RunningProcess;
  ws: RunningProcess;
  stop(): Promise<void>;
}

/** Both processes of a platform on a fresh conf. */
export async function startPlatform(options: ConfOptions = {}): Promise<Platform> {
  const conf = await makeConf(options);
  const started = await Promise.allSettled([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw failed.reason;
  }
  const [app, ws] = started.map((result) => (result as PromiseFulfilledResult<RunningProcess>).value) as [RunningProcess, RunningProcess];
  const platform: Platform = {
    conf,
    app,
    ws,
    // The processes the platform has now: a test may have restarted them.
    stop: async () => {
      await Promise.all([platform.app.stop(), platform.ws.stop()]);
    },
  };
  return platform;
}

/** An admin user and an application with the given scopes, made with the admin commands as an operator would. */
export async function seed(conf: TestConf, scopes: string[]): Promise<{ email: string; password: string; clientId: string; clientSecret: string }> {
  const email = 'admin@example.test';
  const password = 'correct horse battery';
  const user = await runServerJs(['--create-user', email, '--password-stdin', '--role', 'admin'], { conf, stdin: `${password}\n` });
  if (user.code !== 0) throw new Error(`--create-user failed: ${user.stderr}`);
  const app = await runServerJs(['--create-application', 'seeded', '--scopes', scopes.join(',')], { conf });
  if (app.code !== 0) throw new Error(`--create-application failed: ${app.stderr}`);
  const { clientId, clientSecret } = JSON.parse(app.stdout) as { clientId: string; clientSecret: string };
  return { email, password, clientId, clientSecret };
}
