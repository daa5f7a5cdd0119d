import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, rename } from 'node:fs/promises';
import { constants, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartupError } from '../errors.js';

export const FERRETDB_VERSION = 'v1.24.2';
const launcherSource = fileURLToPath(new URL('../../ferretdb/', import.meta.url));

/** Changes with the launcher's source, so a cached binary built from an older launcher is never reused. */
function launcherHash(): string {
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(path.join(launcherSource, file)));
  return hash.digest('hex').slice(0, 12);
}

export function defaultBinaryPath(): string {
  const cacheHome = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'mediahost', `mediahost-ferretdb-${FERRETDB_VERSION}-${launcherHash()}`);
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Finds the FerretDB launcher, building it once with Go (from the module proxy) when it is missing.
 * `progress` receives one line per compiled package so a first start is visibly alive.
 */
export async function ensureFerretdbBinary(configured: string | undefined, progress: (line: string) => void): Promise<string> {
  const explicit = configured ?? process.env.MEDIAHOST_FERRETDB_BIN;
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new StartupError(`FerretDB binary ${explicit} is not an executable file`);
  }
  const target = defaultBinaryPath();
  if (await isExecutable(target)) return target;

  progress(`Embedded database: building FerretDB ${FERRETDB_VERSION} once into ${target} (a few minutes)…`);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await runGoBuild(partial, progress);
  await rename(partial, target);
  progress('Embedded database: FerretDB is built.');
  return target;
}

function runGoBuild(output: string, progress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['build', '-v', '-o', output, '.'], {
      cwd: launcherSource,
      env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let built = 0;
    let tail = '';
    const onLine = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        built += 1;
        if (built % 25 === 0 || line.startsWith('go: downloading')) progress(`  ${line.trim()} (${built} steps)`);
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new StartupError(
          error.code === 'ENOENT'
            ? 'No database configured: conf/databaseConf.json has no "uri", and the embedded FerretDB needs Go to be built once. ' +
                'Install Go (>= 1.22), or set "uri" to a MongoDB server, or "embedded.binary" to a built mediahost-ferretdb.'
            : `Could not run go: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new StartupError(`Building FerretDB failed (go exited with ${code}):\n${tail}`));
    });
  });
}
