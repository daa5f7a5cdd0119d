import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';

/**
 * mediasoup's C++ worker: its postinstall (skipped, see package.json's neverBuiltDependencies) would download a
 * prebuilt binary from GitHub and otherwise build it with sources fetched from GitHub, both unreachable on some hosts.
 * Here: MEDIASOUP_WORKER_BIN, else the prebuilt download, else a build from the npm package's own sources with the
 * patch kept in mediasoup/<version>/, cached outside the tree like the FerretDB binary.
 */

const require = createRequire(import.meta.url);
const patchesRoot = fileURLToPath(new URL('../../mediasoup/', import.meta.url));
const buildScript = path.join(patchesRoot, 'build-worker.sh');

export type WorkerLookup = { bin: string } | { reason: string };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function installedPackage(): { dir: string; version: string } | undefined {
  try {
    // Its exports do not include package.json: node/lib/index.js is two folders below the package root.
    const dir = path.resolve(path.dirname(require.resolve('mediasoup')), '..', '..');
    return { dir, version: (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version };
  } catch {
    return undefined;
  }
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mediahost');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Changes with the patch, the stub subprojects and the build script, so a binary built from older ones is never reused. */
function patchHash(version: string): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(path.join(patchesRoot, version)), buildScript]) hash.update(path.relative(patchesRoot, file)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

export function builtWorkerPath(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), `mediasoup-worker-${version}-${patchHash(version)}`);
}

function prebuiltWorkerPath(version: string, env: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), `mediasoup-worker-${version}-prebuilt`);
}

/** A worker that is already there (no download, no build): what the engine choice looks at. */
export function findMediasoupWorker(env: NodeJS.ProcessEnv = process.env): WorkerLookup {
  const configured = env.MEDIASOUP_WORKER_BIN;
  if (configured) return isExecutable(configured) ? { bin: configured } : { reason: `MEDIASOUP_WORKER_BIN=${configured} is not an executable file` };
  const pkg = installedPackage();
  if (!pkg) return { reason: 'the mediasoup package is not installed' };
  const candidates = [path.join(pkg.dir, 'worker', 'out', 'Release', 'mediasoup-worker'), prebuiltWorkerPath(pkg.version, env)];
  if (existsSync(path.join(patchesRoot, pkg.version))) candidates.push(builtWorkerPath(pkg.version, env));
  const found = candidates.find(isExecutable);
  if (found) return { bin: found };
  const failure = failureMarker(pkg.version, env);
  if (failure && existsSync(failure)) return { reason: `the mediasoup ${pkg.version} worker could not be built: ${readFileSync(failure, 'utf8').trim()}` };
  return { reason: `no mediasoup ${pkg.version} worker yet (looked at ${candidates.join(', ')})` };
}

function failureMarker(version: string, env: NodeJS.ProcessEnv): string | undefined {
  return existsSync(path.join(patchesRoot, version)) ? `${builtWorkerPath(version, env)}.failed` : undefined;
}

/** The worker exits with 41 when started without its MEDIASOUP_VERSION: proof that it runs on this host. */
function runsHere(bin: string): boolean {
  return spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 }).status === 41;
}

async function downloadPrebuilt(version: string, target: string, env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string | undefined> {
  const kernel = os.platform() === 'linux' ? `-kernel${os.release().split('.')[0]}` : '';
  // The same variable and file name as mediasoup's own postinstall.
  const base = env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ?? 'https://github.com/versatica/mediasoup/releases/download';
  const url = `${base}/${version}/mediasoup-worker-${version}-${os.platform()}-${os.arch()}${kernel}.tgz`;
  const scratch = `${target}.${process.pid}.download`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    if (!response.ok) return `${url}: HTTP ${response.status}`;
    mkdirSync(scratch, { recursive: true });
    writeFileSync(path.join(scratch, 'worker.tgz'), Buffer.from(await response.arrayBuffer()));
    if (spawnSync('tar', ['xzf', 'worker.tgz'], { cwd: scratch, stdio: 'ignore' }).status !== 0) return `${url}: not a tar.gz`;
    const bin = path.join(scratch, 'mediasoup-worker');
    if (!isExecutable(bin) || !runsHere(bin)) return `${url}: the prebuilt worker does not run on this host`;
    renameSync(bin, target);
    progress(`live: mediasoup worker ${version} downloaded (prebuilt) into ${target}`);
    return undefined;
  } catch (error) {
    return `${url}: ${(error as Error).message}`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runBuild(version: string, packageDir: string, output: string, env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [buildScript], {
      env: {
        ...env,
        MEDIASOUP_PACKAGE: packageDir,
        MEDIASOUP_VERSION: version,
        PATCH_DIR: path.join(patchesRoot, version),
        OUTPUT: output,
        WORK_DIR: `${output}.work`,
        VENV_DIR: path.join(cacheDir(env), 'mediasoup-meson-venv'),
        JOBS: String(os.availableParallelism()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-3000);
      for (const line of chunk.toString().split('\n')) {
        // ninja prints "[n/m] …" per compiled file: one line in twenty keeps a first start visibly alive.
        const step = /^\[(\d+)\/(\d+)\]/.exec(line);
        if (line.startsWith('==>') || (step && (Number(step[1]) % 20 === 0 || step[1] === step[2]))) progress(`  ${line.trim().slice(0, 160)}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`build-worker.sh exited with ${code}: ${tail.trim().split('\n').slice(-6).join(' | ')}`))));
  });
}

/**
 * Finds the worker, or downloads or builds it once (several minutes on 2 cores). `retryFailed` rebuilds even when an
 * earlier build failed: starts do not, so a host that cannot build is not slowed down at every start.
 */
export async function ensureMediasoupWorker(progress: (line: string) => void, { env = process.env, retryFailed = false } = {}): Promise<WorkerLookup> {
  const found = findMediasoupWorker(env);
  if ('bin' in found || env.MEDIASOUP_WORKER_BIN) return found;
  const pkg = installedPackage();
  if (!pkg) return found;
  mkdirSync(cacheDir(env), { recursive: true });
  const downloadFailure = await downloadPrebuilt(pkg.version, prebuiltWorkerPath(pkg.version, env), env, progress);
  if (!downloadFailure) return { bin: prebuiltWorkerPath(pkg.version, env) };
  progress(`live: no prebuilt mediasoup worker (${downloadFailure})`);
  const failure = failureMarker(pkg.version, env);
  if (!failure) return { reason: `no prebuilt mediasoup ${pkg.version} worker (${downloadFailure}), and no patch in ${patchesRoot} to build this version here` };
  if (existsSync(failure) && !retryFailed) return findMediasoupWorker(env);
  // Two processes starting at once (a web service and the test prerequisites) build it once: the second waits for the first.
  const unlock = await lockfile.lock(cacheDir(env), {
    lockfilePath: `${builtWorkerPath(pkg.version, env)}.lock`,
    stale: 30_000,
    retries: { retries: 3600, minTimeout: 1000, maxTimeout: 1000 },
    onCompromised: () => undefined,
  });
  try {
    const builtMeanwhile = findMediasoupWorker(env);
    if ('bin' in builtMeanwhile || (existsSync(failure) && !retryFailed)) return builtMeanwhile;
    return await buildWorker(pkg, failure, env, progress);
  } finally {
    await unlock().catch(() => undefined);
  }
}

async function buildWorker(pkg: { dir: string; version: string }, failure: string, env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<WorkerLookup> {
  const target = builtWorkerPath(pkg.version, env);
  const partial = `${target}.${process.pid}.partial`;
  progress(`live: building the mediasoup ${pkg.version} worker from the npm sources into ${target} (about 8 CPU-minutes, once)…`);
  const started = Date.now();
  try {
    await runBuild(pkg.version, pkg.dir, partial, env, progress);
    renameSync(partial, target);
    rmSync(failure, { force: true });
    progress(`live: mediasoup worker built in ${Math.round((Date.now() - started) / 1000)} s`);
    return { bin: target };
  } catch (error) {
    rmSync(partial, { force: true });
    writeFileSync(failure, `${(error as Error).message}\n`);
    return { reason: `the mediasoup ${pkg.version} worker could not be built: ${(error as Error).message}` };
  }
}
