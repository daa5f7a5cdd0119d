// Run by `pnpm build`: fails when folders of core/src or of a plugin's src import each other, directly or through
// others (the rule is in .dependency-cruiser.cjs). Folders given as arguments are checked instead of those.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = fileURLToPath(new URL('..', import.meta.url));

/** The src folders of pnpm-workspace.yaml's packages (core, plugins/*, docs/example-plugin). */
function workspaceSources() {
  const plugins = readdirSync(path.join(rootDir, 'plugins'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `plugins/${d.name}`);
  return ['core', ...plugins, 'docs/example-plugin'].map((dir) => `${dir}/src`).filter((dir) => existsSync(path.join(rootDir, dir)));
}

const targets = process.argv.length > 2 ? process.argv.slice(2) : workspaceSources();
const depcruise = path.join(rootDir, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const result = spawnSync(process.execPath, [depcruise, '--config', path.join(rootDir, '.dependency-cruiser.cjs'), ...targets], { cwd: rootDir, stdio: 'inherit' });
process.exit(result.status ?? 1);
