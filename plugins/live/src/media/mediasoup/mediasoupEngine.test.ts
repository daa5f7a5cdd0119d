import { expect } from 'chai';
import { loopbackPublisher, loopbackSubscriber } from '../loopbackPeers.js';
import { findMediasoupWorker } from '../mediasoupWorkerBinary.js';
import { MediasoupEngine } from './mediasoupEngine.js';

const waitUntil = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('mediasoup engine: a worker that dies', function () {
  this.timeout(30_000);
  const worker = findMediasoupWorker();

  it('is replaced by a new worker, which serves the streams published from then on', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const engine = await MediasoupEngine.create((worker as { bin: string }).bin);
    try {
      const dead = engine.workerPid;
      process.kill(dead, 'SIGKILL');
      await waitUntil(() => engine.workerPid !== dead, 10_000, 'a new worker');
      const publisher = await loopbackPublisher(engine);
      const subscriber = await loopbackSubscriber(engine, publisher.endpoint);
      await publisher.sendVideo(50, 800);
      await waitUntil(() => subscriber.videoPackets() >= 48, 10_000, 'packets forwarded by the new worker');
      await subscriber.close();
      await publisher.endpoint.close();
      await publisher.close();
    } finally {
      await engine.close();
    }
  });
});
