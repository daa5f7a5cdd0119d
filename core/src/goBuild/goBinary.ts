import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { constants, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from '../errors.js';

/** A program built from the Go module proxy out of a small wrapper module of ours (go.mod, go.sum, maybe main.go). */
export interface GoBinarySpec {
  /** Names the binary in the cache and in messages: `mediahost-<name>-<version>-<hash>`. */
  name: string;
  version: string;
  /** The wrapper module's folder. */
  moduleDir: string;
  /** The wrapper's files that decide what gets built: a change to any of them means a new binary. */
  sourceFiles: string[];
  /** What `go build` builds: `.` for a wrapper with its own main package, else the import path of a main package. */
  buildTarget: string;
  /** Shown when `go` is not installed. */
  missingGoHint: string;
}

/** Changes with the wrapper's source, so a cached binary built from an older wrapper is never reused. */
function sourceHash(spec: GoBinarySpec): string {
  const hash = createHash('sha256');
  for (const file of spec.sourceFiles) hash.update(readFileSync(path.join(spec.moduleDir, file)));
  return hash.digest('hex').slice(0, 12);
}

/** Outside the work tree, shared by every checkout of the same version: ~/.cache/mediahost (or $XDG_CACHE_HOME). */
export function cachedBinaryPath(spec: GoBinarySpec): string {
  const cacheHome = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'mediahost', `mediahost-${spec.name}-${spec.version}-${sourceHash(spec)}`);
}

export async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * The cached binary, built once with Go (from the module proxy) when it is missing. The build writes a file of its
 * own and renames it into place, so concurrent first starts never run a half-written binary.
 * `progress` receives a line every few compiled packages so a first start is visibly alive.
 */
export async function ensureGoBinary(spec: GoBinarySpec, progress: (line: string) => void): Promise<string> {
  const target = cachedBinaryPath(spec);
  if (await isExecutable(target)) return target;

  progress(`Building ${spec.name} ${spec.version} once into ${target} (a few minutes)…`);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  try {
    await runGoBuild(spec, partial, progress);
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  progress(`${spec.name} is built.`);
  return target;
}

function runGoBuild(spec: GoBinarySpec, output: string, progress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['build', '-v', '-o', output, spec.buildTarget], {
      cwd: spec.moduleDir,
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
      reject(new StartupError(error.code === 'ENOENT' ? spec.missingGoHint : `Could not run go: ${error.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new StartupError(`Building ${spec.name} failed (go exited with ${code}):\n${tail}`));
    });
  });
}
