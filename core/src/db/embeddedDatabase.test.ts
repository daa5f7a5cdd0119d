import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { waitFor } from '../../../test/support/waitFor.js';
import { StartupError } from '../errors.js';
import { acquireEmbeddedDatabase } from './embeddedDatabase.js';
import { tempDir } from '../../../test/support/tempDir.js';

const script = fileURLToPath(new URL('../../../test/support/acquireDatabase.mjs', import.meta.url));

interface User {
  child: ChildProcessWithoutNullStreams;
  uri: Promise<string>;
  released: Promise<void>;
}

function startUser(dir: string): User {
  const child = spawn(process.execPath, [script, dir]);
  let out = '';
  const uri = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(line!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  const released = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, uri, released };
}

/** The unix socket path a `mongodb://%2F…sock/` URI names. */
function socketOf(uri: string): string {
  return decodeURIComponent(/^mongodb:\/\/([^/]+)\//.exec(uri)![1]!);
}

function reachable(uri: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketOf(uri) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('embedded FerretDB', () => {
  it('is started once for processes starting together, shared, and stopped by the last to leave', async () => {
    const dir = await tempDir('embedded-db-');
    const users = [startUser(dir), startUser(dir), startUser(dir)];
    const uris = await Promise.all(users.map((user) => user.uri));
    expect(new Set(uris).size).to.equal(1);
    const state = JSON.parse(await readFile(path.join(dir, 'ferretdb.json'), 'utf8')) as { pid: number; uri: string };
    expect(state.uri).to.equal(uris[0]);

    const connection = await mongoose.createConnection(uris[0]!, { dbName: 'shared' }).asPromise();
    await connection.collection('things').insertOne({ ok: 1 });
    expect(await connection.collection('things').countDocuments()).to.equal(1);
    await connection.close();

    users[0]!.child.stdin.end();
    users[1]!.child.stdin.end();
    await Promise.all([users[0]!.released, users[1]!.released]);
    expect(await reachable(uris[0]!)).to.equal(true);

    users[2]!.child.stdin.end();
    await users[2]!.released;
    await waitFor(async () => !(await reachable(uris[0]!)), 10_000, 'the server to stop listening');
    await waitFor(() => {
      try {
        process.kill(state.pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 10_000, 'the server process to exit');
  });

  it('restarts the server when the recorded one died', async () => {
    const dir = await tempDir('embedded-db-');
    const first = startUser(dir);
    await first.uri;
    const { pid } = JSON.parse(await readFile(path.join(dir, 'ferretdb.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    first.child.kill('SIGKILL');
    await first.released;
    const second = startUser(dir);
    const secondUri = await second.uri;
    expect(await reachable(secondUri)).to.equal(true);
    const { pid: secondPid } = JSON.parse(await readFile(path.join(dir, 'ferretdb.json'), 'utf8')) as { pid: number };
    expect(secondPid).to.not.equal(pid);
    second.child.stdin.end();
    await second.released;
  });

  it('refuses, naming the setting, a database folder too deep for a unix socket path', async () => {
    const deep = path.join(os.tmpdir(), 'embedded-db-'.padEnd(120, 'x'));
    const failure = await acquireEmbeddedDatabase(deep, undefined, () => undefined).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(StartupError);
    expect((failure as Error).message).to.contain('embedded.dataDir').and.to.contain(deep);
  });
});
