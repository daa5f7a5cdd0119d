import { readdir } from 'node:fs/promises';
import type { Context, RootHookObject } from 'mocha';
import { runTmpDir } from './globalDatabase.js';

/** Which test was running when each entry of the run's temporary folder first appeared. */
const firstSeen = new Map<string, string>();

async function entries(): Promise<string[]> {
  return readdir(runTmpDir()).catch(() => []);
}

/**
 * Fails the run when tests (or the servers they start) leave something in the temporary folder: each run used to
 * leave some 40 folders behind in /tmp. Use test/support/tempDir.ts, or remove what you create.
 */
export const mochaHooks: RootHookObject = {
  async afterEach(this: Context) {
    for (const name of await entries()) if (!firstSeen.has(name)) firstSeen.set(name, this.currentTest?.fullTitle() ?? '?');
  },
  async afterAll() {
    const left = await entries();
    if (!left.length) return;
    const lines = left.map((name) => `  ${name} (first seen after "${firstSeen.get(name) ?? 'a hook'}")`);
    throw new Error(`Tests left these in the temporary folder (${runTmpDir()}):\n${lines.join('\n')}`);
  },
};
