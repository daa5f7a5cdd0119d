import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { acquireEmbeddedDatabase, type EmbeddedDatabase } from '../../core/src/db/embeddedDatabase.js';
import { killLeftovers } from './serverProcesses.js';

/**
 * One embedded FerretDB for the whole run, in a temporary folder. Unit tests open their own database on it;
 * the processes that end-to-end tests spawn join the same server through the same folder.
 */
let tempRoot = '';
let embedded: EmbeddedDatabase | undefined;
const opened: Connection[] = [];

export function testRoot(): string {
  return tempRoot;
}

export function databaseDir(): string {
  return path.join(tempRoot, 'db');
}

export function databaseUri(): string {
  if (!embedded) throw new Error('the test database is not started');
  return embedded.uri;
}

export function uniqueDatabaseName(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** A connection to a new database of its own; dropped after the run. */
export async function openTestDatabase(label: string): Promise<Connection> {
  const connection = await mongoose.createConnection(databaseUri(), { dbName: uniqueDatabaseName(label) }).asPromise();
  opened.push(connection);
  return connection;
}

/**
 * The system's temporary folder as this run and the processes it spawns see it: TMPDIR points inside the run's folder,
 * so whatever a test or a server leaves there is the run's own (tempFolderGuard.ts fails the run on it) and is removed
 * with the run instead of piling up in /tmp.
 */
export function runTmpDir(): string {
  return path.join(tempRoot, 'tmp');
}

export async function mochaGlobalSetup(): Promise<void> {
  tempRoot = await mkdtemp(path.join(os.tmpdir(), 'mediahost-test-'));
  await mkdir(runTmpDir());
  process.env.TMPDIR = runTmpDir();
  embedded = await acquireEmbeddedDatabase(databaseDir(), process.env.MEDIAHOST_FERRETDB_BIN, (line) => process.stderr.write(`${line}\n`));
}

export async function mochaGlobalTeardown(): Promise<void> {
  for (const leftover of await killLeftovers()) process.stderr.write(`warning: a test left this server process running; killed: ${leftover}\n`);
  for (const connection of opened) {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
  await embedded?.release();
  // A FerretDB that a test's process left stopping may still write a file or two: retry (ENOTEMPTY), as fs.rm can.
  if (tempRoot) await rm(tempRoot, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
}
