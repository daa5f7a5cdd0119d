import { expect } from 'chai';
import { OpenVidu, OpenViduRole } from 'openvidu-node-client';
import type { Browser, Page } from 'playwright-core';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { framesDecoded, join, launchMediaBrowser, openviduPageServer, participantPage, publish, subscribeFirstStream } from './support/openviduBrowser.js';
import { makeConf, startProcess, type RunningProcess } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { webhookReceiver } from './support/webhookReceiver.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type W = any;

/** OpenVidu Pro's media nodes: the mediasoup engine's workers (two here), placement, the REST API, a worker's death. */
describe('live: media nodes (mediasoup workers) through the OpenVidu Pro REST API', function () {
  this.timeout(120_000);
  let ws: RunningProcess;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof openviduPageServer>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let ov: OpenVidu;
  let api: ReturnType<typeof openviduApi>;
  const people: Page[] = [];

  /** A publisher in a new session (created through openvidu-node-client), and the node the session went to. */
  const publishIn = async (customSessionId: string, mediaNode?: string) => {
    const session = await ov.createSession({ customSessionId, ...(mediaNode ? { mediaNode: { id: mediaNode } } : {}) });
    const page = await participantPage(browser, pages.url);
    people.push(page);
    await join(page, (await session.createConnection({ role: OpenViduRole.PUBLISHER })).token, `${customSessionId}-publisher`);
    await publish(page);
    const { body } = await api('GET', `/openvidu/api/sessions/${customSessionId}`);
    return { session, page, nodeId: body.mediaNodeId as string };
  };
  const watch = async (customSessionId: string) => {
    const session = ov.activeSessions.find((s) => s.sessionId === customSessionId)!;
    const page = await participantPage(browser, pages.url);
    people.push(page);
    await join(page, (await session.createConnection({ role: OpenViduRole.SUBSCRIBER })).token, `${customSessionId}-viewer`);
    await subscribeFirstStream(page);
    return page;
  };
  const nodes = async (query = '') => (await api('GET', `/openvidu/api/media-nodes${query}`)).body;

  before(async () => {
    hooks = await webhookReceiver();
    const conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'], webhookRetryDelayMs: 500 } } });
    const liveUrl = await writeLiveConf(conf, { engine: 'mediasoup', mediasoupWorkers: 2, webhook: { enabled: true, endpoint: hooks.url } });
    [ws, browser, pages] = await Promise.all([startProcess(conf, 'ws'), launchMediaBrowser(), openviduPageServer()]);
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
    api = openviduApi(liveUrl);
  });
  after(async () => {
    await browser?.close();
    await ws?.stop();
    await pages?.close();
    await hooks?.close();
  });

  let left: Awaited<ReturnType<typeof publishIn>>;
  let right: Awaited<ReturnType<typeof publishIn>>;

  it('lists one running node per configured worker, in Pro\'s shape', async () => {
    const list = await nodes();
    expect(list.numberOfElements).to.equal(2);
    for (const node of list.content) {
      expect(node).to.include({ object: 'mediaNode', status: 'running', connected: true });
      expect(node.id).to.match(/^media_/);
      expect(node.load).to.be.a('number').within(0, 100);
      for (const key of ['environmentId', 'ip', 'uri']) expect(node[key]).to.be.a('string').not.empty;
      for (const key of ['launchingTime', 'connectionTime']) expect(node[key]).to.be.a('number');
      expect(node).not.to.have.any.keys('sessions', 'recordingIds', 'kurentoInfo');
    }
    const one = (await api('GET', `/openvidu/api/media-nodes/${list.content[0].id}?extra-info=true&sessions=true&recordings=true`)).body;
    expect(one).to.include({ id: list.content[0].id });
    expect(one.sessions).to.deep.equal([]);
    expect(one.recordingIds).to.deep.equal([]);
    expect(one.kurentoInfo).to.include({ engine: 'mediasoup' });
    expect(one.kurentoInfo.pid).to.be.a('number');
    expect((await api('GET', '/openvidu/api/media-nodes/media_nowhere')).status).to.equal(404);
  });

  it('places two sessions on two different nodes at their first participant, and forwards media on both', async () => {
    left = await publishIn('left-room');
    right = await publishIn('right-room');
    expect(left.nodeId).to.match(/^media_/);
    expect(right.nodeId).to.match(/^media_/);
    expect(left.nodeId).not.to.equal(right.nodeId);
    const viewers = [await watch('left-room'), await watch('right-room')];
    for (const viewer of viewers) await waitFor(async () => ((await framesDecoded(viewer)) > 10 ? true : undefined), 40_000, 'decoded frames');
    const hosting = (await api('GET', `/openvidu/api/media-nodes/${left.nodeId}?sessions=true`)).body;
    expect(hosting.sessions.map((s: W) => s.id)).to.deep.equal(['left-room']);
  });

  it('puts a session on the node openvidu-node-client asks for, and refuses one that does not exist (400)', async () => {
    const pinned = await publishIn('pinned-room', left.nodeId);
    expect(pinned.nodeId).to.equal(left.nodeId);
    await pinned.page.close();
    const error = await ov.createSession({ customSessionId: 'nowhere-room', mediaNode: { id: 'media_nowhere' } }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).to.equal('400');
  });

  it('refuses to delete a node with sessions (409), and changes its status as Pro allows', async () => {
    expect((await api('DELETE', `/openvidu/api/media-nodes/${left.nodeId}`)).status).to.equal(409);
    expect((await api('DELETE', `/openvidu/api/media-nodes/${left.nodeId}?deletion-strategy=sometime`)).status).to.equal(400);
    expect((await api('PATCH', `/openvidu/api/media-nodes/${left.nodeId}`, { status: 'running' })).status).to.equal(204);
    expect((await api('PATCH', `/openvidu/api/media-nodes/${left.nodeId}`, { status: 'launching' })).status).to.equal(400);
    expect((await api('PATCH', `/openvidu/api/media-nodes/${left.nodeId}`, { status: 'asleep' })).status).to.equal(400);
    const waiting = await api('PATCH', `/openvidu/api/media-nodes/${left.nodeId}`, { status: 'waiting-idle-to-terminate' });
    expect(waiting.status).to.equal(200);
    expect(waiting.body).to.include({ id: left.nodeId, status: 'waiting-idle-to-terminate' });
    // A node waiting to terminate takes no new session.
    const elsewhere = await publishIn('elsewhere-room');
    expect(elsewhere.nodeId).not.to.equal(left.nodeId);
    // Fewer encoders for the rest: Chromium drops simulcast layers when the CPU is short.
    await elsewhere.page.close();
    expect((await api('PATCH', `/openvidu/api/media-nodes/${left.nodeId}`, { status: 'running' })).body).to.include({ status: 'running' });
    const changes = await waitFor(() => {
      const sent = hooks.received.filter((h) => h.body.event === 'mediaNodeStatusChanged' && h.body.id === left.nodeId).map((h) => [h.body.oldStatus, h.body.newStatus]);
      return sent.length >= 2 ? sent : undefined;
    }, 10_000, 'two mediaNodeStatusChanged webhooks');
    expect(changes).to.have.deep.members([
      ['running', 'waiting-idle-to-terminate'],
      ['waiting-idle-to-terminate', 'running'],
    ]);
  });

  it('adds a worker (POST), refuses what it cannot reach or already has, discovers nothing (PUT), and removes an idle node', async () => {
    expect((await api('POST', '/openvidu/api/media-nodes', {})).status).to.equal(501);
    expect((await api('POST', '/openvidu/api/media-nodes', { uri: 'ws://192.0.2.1:8888/kurento' })).status).to.equal(404);
    const added = await api('POST', '/openvidu/api/media-nodes', { uri: 'worker://localhost', environmentId: 'third-worker' });
    expect(added.status).to.equal(200);
    expect(added.body).to.include({ object: 'mediaNode', status: 'running', environmentId: 'third-worker' });
    expect((await api('POST', '/openvidu/api/media-nodes', { uri: 'worker://localhost', environmentId: 'third-worker' })).status).to.equal(409);
    expect((await nodes()).numberOfElements).to.equal(3);
    expect((await api('PUT', '/openvidu/api/media-nodes')).body).to.deep.equal({ numberOfElements: 0, content: [] });
    expect((await api('DELETE', `/openvidu/api/media-nodes/${added.body.id}?wait=true`)).status).to.equal(204);
    expect((await nodes()).content.map((n: W) => n.id)).not.to.include(added.body.id);
  });

  it('deletes a node once its sessions end (when-no-sessions: 202), at once with its sessions (now), or when PATCHed terminating', async () => {
    const added = async (environmentId: string) => (await api('POST', '/openvidu/api/media-nodes', { uri: 'worker://localhost', environmentId })).body.id as string;
    const later = await added('deleted-later');
    const doomed = await publishIn('doomed-room', later);
    expect(doomed.nodeId).to.equal(later);
    const waiting = await api('DELETE', `/openvidu/api/media-nodes/${later}?deletion-strategy=when-no-sessions`);
    expect(waiting.status).to.equal(202);
    expect(waiting.headers.get('content-type')).to.match(/^application\/json/);
    expect(waiting.body).to.include({ object: 'mediaNode', id: later, status: 'waiting-idle-to-terminate' });
    expect((await api('GET', `/openvidu/api/media-nodes/${later}`)).body.status).to.equal('waiting-idle-to-terminate');
    expect((await api('DELETE', '/openvidu/api/sessions/doomed-room')).status).to.equal(204);
    await waitFor(async () => (await api('GET', `/openvidu/api/media-nodes/${later}`)).status === 404, 10_000, 'the idle node to go');

    const now = await added('deleted-now');
    const closed = await publishIn('closed-room', now);
    const removed = await api('DELETE', `/openvidu/api/media-nodes/${now}?deletion-strategy=now`);
    expect(removed.status).to.equal(200);
    expect(removed.body).to.include({ object: 'mediaNode', id: now });
    expect((await api('GET', '/openvidu/api/sessions/closed-room')).status).to.equal(404);
    const reason = await waitFor(() => closed.page.evaluate(() => (window as W).t.events.find((e: W) => e.type === 'sessionDisconnected')?.reason), 10_000, 'sessionDisconnected');
    expect(reason).to.equal('sessionClosedByServer');
    expect((await nodes()).content.map((n: W) => n.id)).not.to.include(now);
    for (const page of [doomed.page, closed.page]) await page.close();

    const patched = await added('terminated-by-patch');
    const terminating = await api('PATCH', `/openvidu/api/media-nodes/${patched}`, { status: 'terminating' });
    expect(terminating.status).to.equal(200);
    expect(terminating.body).to.include({ id: patched, status: 'terminating' });
    expect((await api('GET', `/openvidu/api/media-nodes/${patched}`)).status).to.equal(404);
  });

  it('takes the simulcast layers openvidu-browser sends to mediasoup (joinRoom videoSimulcast), and forwards one of them to a subscriber', async () => {
    const session = await ov.createSession({ customSessionId: 'simulcast-room' });
    // A browser of its own: Chromium's fake camera, once opened at 320x240 by the other pages, stays at that size.
    const own = await launchMediaBrowser();
    try {
      const page = await participantPage(own, pages.url);
      await join(page, (await session.createConnection({ role: OpenViduRole.PUBLISHER })).token, 'simulcast-publisher');
      // 640x480 is large enough for openvidu-browser to send two layers (rdiv2, rdiv1).
      await page.evaluate(async () => {
        const w = window as W;
        const publisher = await w.t.OV.initPublisherAsync(undefined, { resolution: '640x480', frameRate: 15, insertMode: 'APPEND' });
        await w.t.session.publish(publisher);
        w.t.publisher = publisher;
      });
      const layers = () =>
        page.evaluate(async () => {
          const sent: Record<string, number> = {};
          ((await (window as W).t.publisher.stream.getRTCPeerConnection().getStats()) as W).forEach((report: W) => {
            if (report.type === 'outbound-rtp' && report.kind === 'video') sent[report.rid ?? '-'] = report.bytesSent ?? 0;
          });
          return sent;
        });
      let seen: Record<string, number> = {};
      const sending = await waitFor(async () => {
        const sent = (seen = await layers());
        return Object.keys(sent).length >= 2 && Object.values(sent).every((bytes) => bytes > 0) ? sent : undefined;
      }, 30_000, 'two simulcast layers flowing').catch((error: Error) => {
        throw new Error(`${error.message}; bytes sent per layer: ${JSON.stringify(seen)}`);
      });
      expect(Object.keys(sending).sort()).to.deep.equal(['rdiv1', 'rdiv2']);
      const viewer = await watch('simulcast-room');
      await waitFor(async () => ((await framesDecoded(viewer)) > 10 ? true : undefined), 40_000, 'decoded frames of one layer');
    } finally {
      await own.close();
    }
  });

  it('when a worker dies: its participants are disconnected with reason nodeCrashed, a new node replaces it and takes new sessions', async () => {
    const victim = right.nodeId;
    const pid = (await api('GET', `/openvidu/api/media-nodes/${victim}?extra-info=true`)).body.kurentoInfo.pid as number;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => right.page.evaluate(() => (window as W).t.events.find((e: W) => e.type === 'sessionDisconnected')?.reason), 20_000, 'sessionDisconnected on the publisher').then((reason) =>
      expect(reason).to.equal('nodeCrashed'),
    );
    const crash = await waitFor(async () => hooks.received.find((h) => h.body.event === 'nodeCrashed')?.body, 10_000, 'the nodeCrashed webhook');
    expect(crash).to.include({ id: victim });
    expect(crash.sessionIds).to.include('right-room');
    await waitFor(async () => hooks.received.some((h) => h.body.event === 'sessionDestroyed' && h.body.sessionId === 'right-room' && h.body.reason === 'nodeCrashed'), 10_000, 'sessionDestroyed nodeCrashed');
    const leaving = await waitFor(() => {
      const reasons = hooks.received.filter((h) => h.body.event === 'participantLeft' && h.body.sessionId === 'right-room').map((h) => h.body.reason);
      return reasons.length >= 2 ? reasons : undefined;
    }, 10_000, 'participantLeft of both participants');
    expect(leaving).to.deep.equal(['nodeCrashed', 'nodeCrashed']);
    // The other node's sessions go on.
    expect((await api('GET', '/openvidu/api/sessions/left-room')).status).to.equal(200);
    const after = await waitFor(async () => ((await nodes()).numberOfElements === 2 ? nodes() : undefined), 10_000, 'a replacement node');
    const ids = after.content.map((n: W) => n.id);
    expect(ids).not.to.include(victim);
    const replacement = ids.find((id: string) => id !== left.nodeId);
    const again = await publishIn('after-crash-room', replacement);
    expect(again.nodeId).to.equal(replacement);
    const viewer = await watch('after-crash-room');
    await waitFor(async () => ((await framesDecoded(viewer)) > 10 ? true : undefined), 40_000, 'frames forwarded by the replacement node');
  });
});
