import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StartupError } from '../errors.js';
import type { Plugin } from './contract.js';

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** Paths the core uses itself below /be and at the root. */
const RESERVED = new Set(['core', 'api', 'assets', 'login', 'logout', 'users', 'roles', 'groups', 'applications', 'token', 'revoke', 'be', 'health']);

function isPath(entry: string): boolean {
  return entry.startsWith('.') || path.isAbsolute(entry);
}

/** Where a serverConf `plugins` entry lives: a path, or the package @mediahost/<name> (or <name>) installed beside server.js. */
function locate(entry: string, rootDir: string): string {
  if (isPath(entry)) {
    const file = path.resolve(rootDir, entry);
    if (!existsSync(file)) throw new StartupError(`Plugin "${entry}" listed in serverConf.json "plugins" was not found at ${file}`);
    return file;
  }
  const require = createRequire(path.join(rootDir, 'package.json'));
  const candidates = entry.includes('/') ? [entry] : [`@mediahost/${entry}`, entry];
  for (const candidate of candidates) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next name
    }
  }
  throw new StartupError(
    `Plugin "${entry}" listed in serverConf.json "plugins" was not found: no package ${candidates.join(' or ')} is installed in ${rootDir}`,
  );
}

function assertPlugin(entry: string, value: unknown): asserts value is Plugin {
  const plugin = value as Partial<Plugin> | undefined;
  if (!plugin || typeof plugin !== 'object' || typeof plugin.name !== 'string' || typeof plugin.setup !== 'function') {
    throw new StartupError(`Plugin "${entry}" is not a mediahost plugin: its default export must be an object with a name and a setup() function`);
  }
  if (!NAME.test(plugin.name) || RESERVED.has(plugin.name)) {
    throw new StartupError(`Plugin "${entry}" has an invalid name "${plugin.name}": use lowercase letters, digits and -, not a reserved word`);
  }
}

export async function loadPlugins(entries: string[], rootDir: string): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const entry of entries) {
    const file = locate(entry, rootDir);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw new StartupError(`Plugin "${entry}" failed to load: ${(error as Error).message}`);
    }
    const plugin = module.default;
    assertPlugin(entry, plugin);
    if (plugins.some((p) => p.name === plugin.name)) throw new StartupError(`Two plugins are named "${plugin.name}"`);
    plugins.push(plugin);
  }
  return plugins;
}
