// schemathesis (PyPI), the fuzzer of `pnpm fuzz`, in a virtual environment under ~/.cache/mediahost: installed once,
// outside the tree. Prints the path of its command. Usable as a module: schemathesisCommand().
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMATHESIS_VERSION = '4.32.5';

function cacheDir() {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mediahost');
}

/** The schemathesis command, installed first when missing. */
export function schemathesisCommand() {
  const venv = path.join(cacheDir(), `schemathesis-${SCHEMATHESIS_VERSION}-venv`);
  const command = path.join(venv, 'bin', 'schemathesis');
  // Written once pip has finished: a venv left half-installed by an interrupted run is made again.
  const installed = path.join(venv, '.installed');
  if (existsSync(installed)) return command;
  console.error(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv}`);
  rmSync(venv, { recursive: true, force: true });
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], { stdio: 'inherit' });
  writeFileSync(installed, `${SCHEMATHESIS_VERSION}\n`);
  return command;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(schemathesisCommand());
