import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { selectEngine } from './engines.js';
import { builtWorkerPath, ensureMediasoupWorker } from './mediasoupWorkerBinary.js';

describe('mediasoup worker at start, on a host where it could not be built', function () {
  this.timeout(20_000);
  let cache: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    cache = await mkdtemp(path.join(os.tmpdir(), 'mediahost-worker-failed-'));
    // Nothing to download (a refused port), and an earlier build that failed.
    env = { ...process.env, XDG_CACHE_HOME: cache, MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL: 'http://127.0.0.1:1' };
    delete env.MEDIASOUP_WORKER_BIN;
    await mkdir(path.join(cache, 'mediahost'));
    await writeFile(`${builtWorkerPath('3.27.1', env)}.failed`, 'build-worker.sh exited with 3: needs libsrtp2-dev\n');
  });
  afterEach(() => rm(cache, { recursive: true, force: true }));

  it('does not build again at every start, and says why there is no worker', async () => {
    const lines: string[] = [];
    const result = await ensureMediasoupWorker((line) => lines.push(line), { env });
    expect(result).to.deep.equal({ reason: 'the mediasoup 3.27.1 worker could not be built: build-worker.sh exited with 3: needs libsrtp2-dev' });
    expect(lines.join('\n')).to.contain('no prebuilt mediasoup worker').and.not.to.contain('building the mediasoup');
  });

  it('then runs the sessions on werift, with that reason', async () => {
    await ensureMediasoupWorker(() => undefined, { env });
    const { engine, skipped } = await selectEngine('auto', env);
    expect(engine.name).to.equal('werift');
    expect(skipped.find((s) => s.name === 'mediasoup')?.reason).to.contain('needs libsrtp2-dev');
    await engine.close();
  });
});

describe('mediasoup worker: two processes needing it at once', function () {
  this.timeout(20_000);

  it('the second waits for the build the first holds the lock for, and takes its binary instead of building again', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'mediahost-worker-lock-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL: 'http://127.0.0.1:1' };
      delete env.MEDIASOUP_WORKER_BIN;
      await mkdir(path.join(cache, 'mediahost'));
      const target = builtWorkerPath('3.27.1', env);
      // The first process: holds the lock while it builds.
      const unlock = await lockfile.lock(path.join(cache, 'mediahost'), { lockfilePath: `${target}.lock` });
      const lines: string[] = [];
      const second = ensureMediasoupWorker((line) => lines.push(line), { env, retryFailed: true });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(lines.join('\n')).not.to.contain('building the mediasoup');
      await writeFile(target, '#!/bin/sh\nexit 41\n', { mode: 0o755 });
      await unlock();
      expect(await second).to.deep.equal({ bin: target });
      expect(lines.join('\n')).not.to.contain('building the mediasoup');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
