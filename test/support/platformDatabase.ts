import { readFile } from 'node:fs/promises';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { databaseUri } from './globalDatabase.js';
import type { TestConf } from './platform.js';

/** A connection to the database a test platform runs on, to look at what its processes wrote. */
export function openPlatformDatabase(conf: TestConf): Promise<Connection> {
  return mongoose.createConnection(databaseUri(), { dbName: conf.database }).asPromise();
}

export interface RunClaim {
  _id: string;
  jobId: string;
  runner: string;
}

/** The runs of a job claimed by the job runners, oldest first: each runner id ends with ":<pid>:<random>". */
export async function runClaimsOf(db: Connection, jobId: string): Promise<RunClaim[]> {
  return db.collection<RunClaim>('core_job_claims').find({ jobId, _id: { $regex: '^run:' } }).sort({ at: 1 }).toArray();
}

export const pidOf = (runner: string) => Number(runner.split(':').at(-2));

/** The lines of the platform's process logs (app, ws, worker) that match. */
export async function logLines(conf: TestConf, pattern: RegExp): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['app', 'ws', 'worker']) {
    const text = await readFile(path.join(conf.logDir, `${name}.log`), 'utf8').catch(() => '');
    lines.push(...text.split('\n').filter((line) => pattern.test(line)));
  }
  return lines;
}
