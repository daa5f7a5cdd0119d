import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context, RootHookObject } from 'mocha';

/** The log folders of the platforms tests have configured, until the run ends or the folder is gone. */
const logDirs = new Set<string>();

export function watchLogsOnFailure(logDir: string): void {
  logDirs.add(logDir);
}

const LINES = 20;
/** Warnings, errors, and the requests answered with a 4xx or a 5xx. */
const WORTH_SHOWING = /"level":"(error|warn)"|"level":"http","message":"[A-Z]+ \S+ [45]\d\d /;

const loggedAt = (line: string) => Date.parse(/"timestamp":"([^"]+)"/.exec(line)?.[1] ?? '');

/** What the log files hold of note since `since` (ms). */
async function tails(since: number): Promise<string[]> {
  const shown: string[] = [];
  for (const dir of [...logDirs]) {
    const names = await readdir(dir).catch(() => undefined);
    if (!names) {
      logDirs.delete(dir);
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.log')).sort()) {
      const lines = (await readFile(path.join(dir, name), 'utf8').catch(() => '')).split('\n').filter((line) => WORTH_SHOWING.test(line) && loggedAt(line) >= since);
      if (lines.length) shown.push(`--- ${path.join(dir, name)} (its last ${Math.min(LINES, lines.length)} warnings, errors and 4xx/5xx answers)\n${lines.slice(-LINES).join('\n')}`);
    }
  }
  return shown;
}

/**
 * When a test fails, adds to its error what the servers it drove logged of note, while their folders still exist,
 * so that the failures listed at the end of the run (all a CI log may keep) show a cause, not only an assertion.
 */
export const mochaHooks: RootHookObject = {
  async afterEach(this: Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed' || !test.err) return;
    // from a little before the test began: what its hooks set up failing is often the cause
    const shown = await tails(Date.now() - (test.duration ?? 0) - 60_000);
    if (shown.length) test.err.stack = `${test.err.stack ?? test.err.message}\n\nServer logs:\n${shown.join('\n')}`;
  },
};
