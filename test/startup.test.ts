import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { makeConf, rootDir, runServerJs, serverJs, type TestConf } from './support/platform.js';
import { mediaBinaries } from './support/toolchain.js';
import { tempDir } from './support/tempDir.js';

async function withFile(conf: TestConf, name: string, content: unknown): Promise<TestConf> {
  await writeFile(path.join(conf.confDir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return conf;
}

describe('starting server.js', () => {
  it('prints its usage with --help, and refuses unknown flags with exit code 2', async () => {
    const help = await runServerJs(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('node server.js -ws');
    const bad = await runServerJs(['--nope']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--nope');
  });

  const cases: [string, string, unknown, RegExp][] = [
    ['a value of the wrong type', 'serverConf.json', { ws: { port: 'eighty' } }, /serverConf\.json: ws\.port: /],
    ['an unknown key', 'serverConf.json', { port: 3000, colour: 'blue' }, /serverConf\.json: .*colour/],
    ['a file that is not JSON', 'loggerConf.json', '{"app": ', /loggerConf\.json: not valid JSON/],
    ['a logger entry without fileName', 'loggerConf.json', { app: { level: 'info' }, ws: { fileName: 'x.log' } }, /loggerConf\.json: app\.fileName: /],
    ['a bad database URI', 'databaseConf.json', { uri: 'http://db' }, /databaseConf\.json: uri: must be a mongodb/],
    ["a plugin's bad conf file", 'helloConf.json', { greeting: 5 }, /helloConf\.json: greeting: /],
  ];
  for (const [what, file, content, message] of cases) {
    it(`stops with a message naming the file and the key for ${what}`, async () => {
      const conf = await withFile(await makeConf(), file, content);
      for (const args of [[], ['-ws']]) {
        const result = await runServerJs(args, { conf });
        expect(result.code, result.stderr).to.equal(1);
        expect(result.stderr).to.match(message);
        expect(result.stderr).to.not.contain('    at ');
      }
    });
  }

  it('stops with a clear message for a missing conf folder', async () => {
    const result = await runServerJs(['--conf', '/nonexistent/conf']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('/nonexistent/conf/serverConf.json: file is missing');
  });

  it('stops naming an unknown plugin', async () => {
    const conf = await makeConf({ plugins: ['publish', 'nosuch'] });
    const result = await runServerJs([], { conf });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('Plugin "nosuch" listed in serverConf.json "plugins" was not found');
  });

  it('stops naming a plugin that breaks while loading or while setting up', async () => {
    const dir = await tempDir('broken-plugin-');
    const throwsOnImport = path.join(dir, 'import.mjs');
    const throwsOnSetup = path.join(dir, 'setup.mjs');
    await writeFile(throwsOnImport, "import 'no-such-dependency-anywhere';\nexport default {};\n");
    await writeFile(throwsOnSetup, "export default { name: 'fragile', setup() { throw new Error('no licence key'); } };\n");
    const onImport = await runServerJs([], { conf: await makeConf({ plugins: [throwsOnImport] }) });
    expect(onImport.code).to.equal(1);
    expect(onImport.stderr).to.contain(`Plugin "${throwsOnImport}" failed to load`).and.to.contain('no-such-dependency-anywhere');
    const onSetup = await runServerJs(['-ws'], { conf: await makeConf({ plugins: [throwsOnSetup] }) });
    expect(onSetup.code).to.equal(1);
    expect(onSetup.stderr).to.contain('Plugin "fragile" failed to set up: no licence key');
  });

  it('says how to get a database when there is no URI, no FerretDB and no Go', async () => {
    // ffmpeg is checked before the database: this PATH lacks it too, so the conf names it.
    const conf = await makeConf({ server: { ffmpegPath: mediaBinaries().ffmpeg, ffprobePath: mediaBinaries().ffprobe } });
    await withFile(conf, 'databaseConf.json', { database: 'x', embedded: { dataDir: path.join(conf.dataDir, 'own-db') } });
    const emptyCache = await tempDir('no-cache-');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [serverJs, '--conf', conf.confDir], {
        cwd: rootDir,
        env: { PATH: path.dirname(process.execPath), HOME: emptyCache, XDG_CACHE_HOME: emptyCache },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('conf/databaseConf.json has no "uri"').and.to.contain('Install Go');
  });

  it('refuses to create an application with a scope no plugin declares', async () => {
    const conf = await makeConf();
    const result = await runServerJs(['--create-application', 'x', '--scopes', 'publish,galaxy'], { conf });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('Unknown scope: galaxy');
    expect(result.stdout).to.equal('');
  });
});
