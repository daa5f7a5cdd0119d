import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { selectEngine } from './engines.js';
import { findMediasoupWorker } from './mediasoupWorkerBinary.js';

/** The environment of a host where no mediasoup worker was downloaded or built: an empty cache folder. */
async function hostWithoutWorker(): Promise<{ env: NodeJS.ProcessEnv; cache: string }> {
  const cache = await mkdtemp(path.join(os.tmpdir(), 'mediahost-no-worker-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
  delete env.MEDIASOUP_WORKER_BIN;
  return { env, cache };
}

describe('media engine choice', function () {
  this.timeout(20_000);
  const worker = findMediasoupWorker();

  it('auto runs on werift when there is no mediasoup worker, and says why', async () => {
    const { env, cache } = await hostWithoutWorker();
    try {
      const { engine, skipped } = await selectEngine('auto', env);
      expect(engine.name).to.equal('werift');
      expect(skipped.find((s) => s.name === 'mediasoup')?.reason).to.match(/no mediasoup 3\.27\.1 worker yet/);
      await engine.close();
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('reports a MEDIASOUP_WORKER_BIN that is not an executable', async () => {
    const { env, cache } = await hostWithoutWorker();
    try {
      const notExecutable = path.join(cache, 'mediasoup-worker');
      await writeFile(notExecutable, 'not a program');
      const { engine, skipped } = await selectEngine('auto', { ...env, MEDIASOUP_WORKER_BIN: notExecutable });
      expect(engine.name).to.equal('werift');
      expect(skipped.find((s) => s.name === 'mediasoup')?.reason).to.contain(`MEDIASOUP_WORKER_BIN=${notExecutable} is not an executable file`);
      await engine.close();
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('auto takes mediasoup when its worker is there (built by the test prerequisites)', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const { engine } = await selectEngine('auto');
    expect(engine.name).to.equal('mediasoup');
    await engine.close();
  });
});
