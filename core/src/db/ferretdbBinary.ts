import { fileURLToPath } from 'node:url';
import { StartupError } from '../errors.js';
import { cachedBinaryPath, ensureGoBinary, isExecutable, type GoBinarySpec } from '../goBuild/goBinary.js';

export const FERRETDB_VERSION = 'v1.24.2';

/** Our launcher embeds FerretDB's package (`go install` of v1.24 fails here). */
const ferretdb: GoBinarySpec = {
  name: 'ferretdb',
  version: FERRETDB_VERSION,
  moduleDir: fileURLToPath(new URL('../../ferretdb/', import.meta.url)),
  sourceFiles: ['main.go', 'go.mod', 'go.sum'],
  buildTarget: '.',
  missingGoHint:
    'No database configured: conf/databaseConf.json has no "uri", and the embedded FerretDB needs Go to be built once. ' +
    'Install Go (>= 1.22), or set "uri" to a MongoDB server, or "embedded.binary" to a built mediahost-ferretdb.',
};

export function defaultBinaryPath(): string {
  return cachedBinaryPath(ferretdb);
}

/** Finds the FerretDB launcher: the configured one, else the cached build, built once when it is missing. */
export async function ensureFerretdbBinary(configured: string | undefined, progress: (line: string) => void): Promise<string> {
  const explicit = configured ?? process.env.MEDIAHOST_FERRETDB_BIN;
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new StartupError(`FerretDB binary ${explicit} is not an executable file`);
  }
  return ensureGoBinary(ferretdb, (line) => progress(`Embedded database: ${line}`));
}
