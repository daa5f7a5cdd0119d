import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './ports.js';
import type { TestConf } from './platform.js';

/**
 * The same platform as seen from another machine: a copy of the conf folder (same database, same storage) with a data
 * folder of its own and its own web-service port, holding only what an operator copies to every machine: the secrets
 * (docs/deploy.md). The first machine must have started once, so that its secrets exist.
 */
export async function otherMachine(conf: TestConf, name: string): Promise<TestConf> {
  const confDir = `${conf.confDir}-${name}`;
  const dataDir = `${conf.dataDir}-${name}`;
  const wsPort = await freePort();
  await cp(conf.confDir, confDir, { recursive: true });
  const serverConf = JSON.parse(await readFile(path.join(confDir, 'serverConf.json'), 'utf8')) as { ws?: Record<string, unknown> };
  await writeFile(path.join(confDir, 'serverConf.json'), JSON.stringify({ ...serverConf, dataDir, ws: { ...serverConf.ws, port: wsPort } }));
  await cp(path.join(conf.dataDir, 'secrets'), path.join(dataDir, 'secrets'), { recursive: true });
  await cp(path.join(conf.dataDir, 'session.secret'), path.join(dataDir, 'session.secret')).catch(() => undefined);
  return { ...conf, confDir, dataDir, wsPort };
}
