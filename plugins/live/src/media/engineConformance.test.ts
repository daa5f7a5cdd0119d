import { expect } from 'chai';
import { engineAvailabilities } from './engines.js';
import { loopbackPublisher, loopbackSubscriber } from '../../test-support/loopbackPeers.js';
import type { MediaEngine } from './mediaEngine.js';

const waitUntil = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const availabilities = engineAvailabilities();
for (const skipped of availabilities.filter((a) => !a.available)) {
  process.stdout.write(`\n  !! media engine conformance: SKIPPED engine "${skipped.name}": ${skipped.reason}\n`);
}

/** One suite, run against every media engine that is available here. */
for (const availability of availabilities.filter((a) => a.available)) {
  describe(`media engine conformance: ${availability.name}`, function () {
    this.timeout(30_000);
    let engine: MediaEngine;

    before(async () => {
      engine = await availability.create!();
    });
    after(async () => {
      await engine?.close();
    });

    it('answers a publisher offer, and exposes the negotiated codecs', async () => {
      const publisher = await loopbackPublisher(engine);
      expect(publisher.sdpAnswer).to.match(/^v=0/);
      const mimeTypes = publisher.endpoint.codecs().map((c) => c.mimeType.toLowerCase());
      expect(mimeTypes).to.include.members(['video/vp8', 'audio/opus']);
      await publisher.close();
      await publisher.endpoint.close();
    });

    it('caps the publisher video bandwidth in its answer', async () => {
      const publisher = await loopbackPublisher(engine, { maxVideoKbps: 420 });
      const video = publisher.sdpAnswer.slice(publisher.sdpAnswer.indexOf('m=video'));
      expect(video).to.contain('b=AS:420');
      expect(video).to.contain('b=TIAS:420000');
      await publisher.endpoint.close();
      await publisher.close();
    });

    it('caps the publisher with REMB at the lowest of its own and its subscribers\' limits', async () => {
      const publisher = await loopbackPublisher(engine);
      // Video flows throughout, as from a browser: an engine may send its REMB as feedback to the packets it gets.
      let sending = true;
      const streaming = (async () => {
        while (sending) await publisher.sendVideo(10, 500);
      })();
      try {
        publisher.endpoint.limitBitrate('publisher', 800);
        publisher.endpoint.limitBitrate('subscriber:a', 300);
        await waitUntil(() => publisher.rembKbps() !== undefined && Math.abs(publisher.rembKbps()! - 300) < 3, 10_000, 'a 300 kbps REMB');
        publisher.endpoint.limitBitrate('subscriber:a', 0);
        await waitUntil(() => Math.abs((publisher.rembKbps() ?? 0) - 800) < 3, 10_000, 'an 800 kbps REMB once the subscriber left');
      } finally {
        sending = false;
        await streaming;
      }
      await publisher.endpoint.close();
      await publisher.close();
    });

    it('forwards a publisher video to two subscribers, and taps it for recording', async () => {
      const publisher = await loopbackPublisher(engine);
      const subscribers = [await loopbackSubscriber(engine, publisher.endpoint), await loopbackSubscriber(engine, publisher.endpoint)];
      let tapped = 0;
      const untap = publisher.endpoint.onRtp('video', () => tapped++);
      await publisher.sendVideo(100, 800);
      await waitUntil(() => subscribers.every((s) => s.videoPackets() >= 95) && tapped >= 95, 10_000, 'packets at both subscribers and the tap');
      untap();
      for (const subscriber of subscribers) await subscriber.close();
      await publisher.endpoint.close();
      await publisher.close();
    });

    it('asks the publisher for a key frame when a subscriber joins', async () => {
      const publisher = await loopbackPublisher(engine);
      await publisher.sendVideo(5, 500);
      const subscriber = await loopbackSubscriber(engine, publisher.endpoint);
      await publisher.sendVideo(20, 500);
      await waitUntil(() => publisher.pliCount() > 0, 10_000, 'a PLI at the publisher');
      await subscriber.close();
      await publisher.endpoint.close();
      await publisher.close();
    });

    it('stops forwarding to a closed subscriber, and keeps serving the others', async () => {
      const publisher = await loopbackPublisher(engine);
      const staying = await loopbackSubscriber(engine, publisher.endpoint);
      const leaving = await loopbackSubscriber(engine, publisher.endpoint);
      await leaving.close();
      const before = leaving.videoPackets();
      await publisher.sendVideo(50, 800);
      await waitUntil(() => staying.videoPackets() >= 48, 10_000, 'packets at the remaining subscriber');
      expect(leaving.videoPackets()).to.equal(before);
      await staying.close();
      await publisher.endpoint.close();
      await publisher.close();
    });
  });
}
