import { expect } from 'chai';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { loopbackPublisher, loopbackSubscriber } from '../../../test-support/loopbackPeers.js';
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

describe('mediasoup engine behind NAT', function () {
  this.timeout(30_000);
  const worker = findMediasoupWorker();

  it('announces liveConf.json announcedIp in the ICE candidates of its answers', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const engine = await MediasoupEngine.create((worker as { bin: string }).bin, { announcedIp: '203.0.113.7' });
    const pc = new RTCPeerConnection({ iceServers: [] });
    try {
      pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      const { sdpAnswer, endpoint } = await engine.publish({ sdpOffer: pc.localDescription!.sdp, maxVideoKbps: 0, videoCodec: 'VP8', onIceCandidate: () => undefined });
      const candidates = sdpAnswer.split('\r\n').filter((line) => line.startsWith('a=candidate:'));
      expect(candidates).to.have.length(1);
      expect(candidates[0]).to.match(/ udp \d+ 203\.0\.113\.7 \d+ typ host/);
      await endpoint.close();
    } finally {
      await pc.close();
      await engine.close();
    }
  });
});
