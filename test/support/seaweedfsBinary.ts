import { fileURLToPath } from 'node:url';
import { ensureGoBinary, type GoBinarySpec } from '../../core/src/goBuild/goBinary.js';

/** The version the Go module proxy serves (SeaweedFS tags no Go-module releases): the wrapper's go.mod requires it. */
export const SEAWEEDFS_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';

const seaweedfs: GoBinarySpec = {
  name: 'seaweedfs',
  version: SEAWEEDFS_VERSION,
  moduleDir: fileURLToPath(new URL('./seaweedfs/', import.meta.url)),
  sourceFiles: ['go.mod', 'go.sum'],
  buildTarget: 'github.com/seaweedfs/seaweedfs/weed',
  missingGoHint: 'The S3 tests run SeaweedFS, built once with Go (>= 1.26) from the Go module proxy: install Go.',
};

/** SeaweedFS's `weed`: $MEDIAHOST_WEED_BIN, else the cached build (~/.cache/mediahost), built once when missing. */
export async function ensureWeedBinary(progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  return process.env.MEDIAHOST_WEED_BIN ?? ensureGoBinary(seaweedfs, progress);
}
