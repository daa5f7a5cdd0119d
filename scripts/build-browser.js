// Run by `pnpm build` (and start, pretest, bench) after `tsc -b`: the one way browser code is built. Each workspace
// package lists its page scripts (typed TypeScript under src/browser) in package.json at "mediahost.browser"; they are
// type-checked together with the DOM types (tsconfig.browser.json), then each is bundled with what it imports into the
// package's dist/browser/<name>.js, which the server sends as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** The folders of pnpm-workspace.yaml's packages (core, plugins/*, docs/example-plugin). */
function workspacePackages() {
  const children = (folder) => readdirSync(path.join(rootDir, folder), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(folder, d.name));
  return ['core', ...children('plugins'), 'docs/example-plugin'].filter((dir) => existsSync(path.join(rootDir, dir, 'package.json')));
}

const typeCheck = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(rootDir, 'tsconfig.browser.json')], { stdio: 'inherit' });
if (typeCheck.status !== 0) process.exit(typeCheck.status ?? 1);

for (const dir of workspacePackages()) {
  const manifest = JSON.parse(readFileSync(path.join(rootDir, dir, 'package.json'), 'utf8'));
  const entries = manifest.mediahost?.browser ?? [];
  if (entries.length === 0) continue;
  await build({
    absWorkingDir: path.join(rootDir, dir),
    entryPoints: entries,
    outdir: 'dist/browser',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
}
