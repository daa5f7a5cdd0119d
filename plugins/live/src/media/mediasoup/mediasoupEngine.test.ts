import { expect } from 'chai';
import dgram from 'node:dgram';
import os from 'node:os';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { loopbackPublisher, loopbackSubscriber } from '../../../test-support/loopbackPeers.js';
import { findMediasoupWorker } from '../mediasoupWorkerBinary.js';
import type { PublisherEndpoint } from '../mediaEngine.js';
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

  it('is replaced by a new worker (a new media node), reported as crashed, and the new one serves the streams published from then on', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const engine = await MediasoupEngine.create((worker as { bin: string }).bin, { workers: 1 });
    try {
      const [dead] = engine.nodes.list();
      const crashed: string[] = [];
      engine.nodes.on('crashed', (node) => crashed.push(node.id));
      process.kill(dead!.worker.pid, 'SIGKILL');
      await waitUntil(() => engine.nodes.list().length === 1 && engine.nodes.list()[0] !== dead, 10_000, 'a new worker');
      expect(crashed).to.deep.equal([dead!.id]);
      expect(engine.nodes.list()[0]!.id).not.to.equal(dead!.id);
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

  it('starts the configured number of workers, one per core by default', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    for (const [workers, expected] of [[3, 3], [0, os.availableParallelism()]] as const) {
      const engine = await MediasoupEngine.create((worker as { bin: string }).bin, { workers });
      try {
        const pids = engine.nodes.list().map((node) => node.worker.pid);
        expect(new Set(pids).size).to.equal(expected);
      } finally {
        await engine.close();
      }
    }
  });
});

describe('mediasoup engine behind NAT', function () {
  this.timeout(30_000);
  const worker = findMediasoupWorker();

  it('announces liveConf.json announcedIp in the ICE candidates of its answers', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const engine = await MediasoupEngine.create((worker as { bin: string }).bin, { announcedIp: '203.0.113.7', workers: 1 });
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

describe('mediasoup engine: recording forwards', function () {
  this.timeout(30_000);
  const worker = findMediasoupWorker();

  it('sends a stream\'s RTP from the worker itself to a loopback port (PlainTransport), under the payload type codecs() reports', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const engine = await MediasoupEngine.create((worker as { bin: string }).bin, { workers: 1 });
    const socket = dgram.createSocket('udp4');
    try {
      const received: Buffer[] = [];
      socket.on('message', (packet) => received.push(packet));
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const port = socket.address().port;
      const publisher = await loopbackPublisher(engine);
      const forward = await publisher.endpoint.forwardRtp!('video', port);
      await publisher.sendVideo(40, 800);
      await waitUntil(() => received.filter((packet) => (packet[1]! & 0x7f) !== 127).length >= 38, 10_000, 'forwarded packets at the port');
      const video = publisher.endpoint.codecs().find((c) => c.kind === 'video')!;
      expect(forward.payloadType).to.equal(video.payloadType);
      // mediasoup's bandwidth probation packets (payload type 127) aside, which ffmpeg ignores as an unknown payload type.
      const media = received.filter((packet) => (packet[1]! & 0x7f) !== 127);
      expect(media.length).to.be.at.least(38);
      expect(new Set(media.map((packet) => packet[1]! & 0x7f))).to.deep.equal(new Set([video.payloadType]));
      forward.close();
      await publisher.endpoint.close();
      await publisher.close();
    } finally {
      socket.close();
      await engine.close();
    }
  });
});

describe('mediasoup engine: streams published outside the engine (IPCAM)', function () {
  this.timeout(30_000);
  const worker = findMediasoupWorker();

  it('frees the transport it made to serve an IPCAM stream when the stream closes, not only when the engine does', async () => {
    expect(worker, 'run `node plugins/live/scripts/install-mediasoup-worker.js` (pnpm pretest does)').to.have.property('bin');
    const engine = await MediasoupEngine.create((worker as { bin: string }).bin, { workers: 1 });
    try {
      const transports: { type: string; closed: boolean }[] = [];
      engine.nodes.list()[0]!.home.observer.on('newtransport', (transport) => transports.push(transport));
      const closeListeners: (() => void)[] = [];
      const camera: PublisherEndpoint = {
        id: 'camera-1',
        codecs: () => [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }],
        onRtp: () => () => undefined,
        requestKeyFrame: () => undefined,
        limitBitrate: () => undefined,
        addIceCandidate: async () => undefined,
        onClose: (listener) => void closeListeners.push(listener),
        close: async () => closeListeners.forEach((listener) => listener()),
      };
      const options = { maxVideoKbps: 0, videoCodec: 'VP8', onIceCandidate: () => undefined };
      const first = await engine.offerSubscription(camera, options);
      const second = await engine.offerSubscription(camera, options);
      const direct = transports.filter((t) => t.type === 'direct');
      expect(direct, 'one DirectTransport for the camera, shared by its subscribers').to.have.length(1);
      expect(direct[0]!.closed).to.equal(false);
      await camera.close();
      expect(direct[0]!.closed).to.equal(true);
      await first.endpoint.close();
      await second.endpoint.close();
      // another camera is served on a transport of its own
      await (await engine.offerSubscription({ ...camera, id: 'camera-2' }, options)).endpoint.close();
      expect(transports.filter((t) => t.type === 'direct').map((t) => t.closed)).to.deep.equal([true, false]);
    } finally {
      await engine.close();
    }
  });
});
