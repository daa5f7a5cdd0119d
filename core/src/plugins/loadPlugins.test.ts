import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartupError } from '../errors.js';
import { loadPlugins } from './loadPlugins.js';
import { tempDir } from '../../../test/support/tempDir.js';

const rootDir = fileURLToPath(new URL('../../../', import.meta.url));

async function pluginFile(source: string): Promise<string> {
  const dir = await tempDir('plugin-');
  const file = path.join(dir, 'index.mjs');
  await writeFile(file, source);
  return file;
}

async function loadError(entries: string[]): Promise<string> {
  try {
    await loadPlugins(entries, rootDir);
  } catch (error) {
    expect(error).to.be.instanceOf(StartupError);
    return (error as Error).message;
  }
  throw new Error('expected loadPlugins to fail');
}

describe('loadPlugins', () => {
  it('finds the workspace plugins by name and a plugin by path', async () => {
    const file = await pluginFile("export default { name: 'extra', setup() { return {}; } };");
    const plugins = await loadPlugins(['publish', 'live', 'editor', file], rootDir);
    expect(plugins.map((p) => p.name)).to.deep.equal(['publish', 'live', 'editor', 'extra']);
  });

  it('names an unknown plugin and where it looked', async () => {
    expect(await loadError(['nosuch'])).to.match(/Plugin "nosuch" listed in serverConf.json "plugins" was not found: no package @mediahost\/nosuch or nosuch/);
    expect(await loadError(['/nowhere/plugin.js'])).to.contain('was not found at /nowhere/plugin.js');
  });

  it('reports a plugin that throws while loading', async () => {
    const file = await pluginFile("throw new Error('kaboom');");
    expect(await loadError([file])).to.contain(`Plugin "${file}" failed to load: kaboom`);
  });

  it('refuses a module that is not a plugin, a bad or reserved name, and duplicates', async () => {
    expect(await loadError([await pluginFile('export default 42;')])).to.contain('is not a mediahost plugin');
    expect(await loadError([await pluginFile("export default { name: 'Bad Name', setup() {} };")])).to.contain('invalid name');
    expect(await loadError([await pluginFile("export default { name: 'api', setup() {} };")])).to.contain('reserved');
    const twin = await pluginFile("export default { name: 'publish', setup() {} };");
    expect(await loadError(['publish', twin])).to.contain('Two plugins are named "publish"');
  });
});
