import { expect } from 'chai';
import { OpenVidu, OpenViduRole, type Session } from 'openvidu-node-client';
import type { Browser, Page } from 'playwright-core';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { audioPackets, framesDecoded, join, launchMediaBrowser, openviduPageServer, participantPage, publish, subscribeFirstStream } from './support/openviduBrowser.js';
import { makeConf, startProcess, type RunningProcess } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { webhookReceiver } from './support/webhookReceiver.js';
import { makeSample } from './support/media.js';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/* eslint-disable @typescript-eslint/no-explicit-any */
type W = any;

/** The same story on each media engine (mediasoup's worker comes from the test prerequisites). */
for (const engine of ['werift', 'mediasoup'] as const) describe(`live: signalling and media with openvidu-browser in headless Chromium (${engine} engine)`, function () {
  this.timeout(120_000);
  let ws: RunningProcess;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof openviduPageServer>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let ov: OpenVidu;
  let api: ReturnType<typeof openviduApi>;
  let session: Session;
  let publisherPage: Page;
  let subscriberPage: Page;
  let publisherId: string;
  let subscriberId: string;
  let streamId: string;
  let logFile: string;

  before(async () => {
    hooks = await webhookReceiver();
    const conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'], webhookRetryDelayMs: 500 } } });
    const liveUrl = await writeLiveConf(conf, { engine, webhook: { enabled: true, endpoint: hooks.url } });
    logFile = path.join(conf.logDir, 'ws.log');
    [ws, browser, pages] = await Promise.all([startProcess(conf, 'ws'), launchMediaBrowser(), openviduPageServer()]);
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
    api = openviduApi(liveUrl);
    session = await ov.createSession({ customSessionId: 'media-room' });
    publisherPage = await participantPage(browser, pages.url);
    subscriberPage = await participantPage(browser, pages.url);
  });
  after(async () => {
    await browser?.close();
    await ws?.stop();
    await pages?.close();
    await hooks?.close();
  });

  it(`serves the sessions with the ${engine} engine`, async () => {
    await waitFor(async () => (await readFile(logFile, 'utf8').catch(() => '')).includes(`live: media engine ${engine}`), 10_000, `the ${engine} engine in the log`);
  });

  it('refuses a token that was never issued (401) and an unknown session (202)', async () => {
    const good = (await session.createConnection()).token;
    const forged = good.replace(/token=tok_\w+/, 'token=tok_AAAAAAAAAAAAAAAA');
    const error = await publisherPage.evaluate(async (token) => {
      const w = window as W;
      try {
        await new w.OpenVidu().initSession().connect(token);
        return 'joined';
      } catch (e: W) {
        return String(e.message ?? e.name ?? e);
      }
    }, forged);
    expect(error).not.to.equal('joined');
    const unknown = await publisherPage.evaluate(async (token) => {
      const w = window as W;
      try {
        await new w.OpenVidu().initSession().connect(token);
        return 'joined';
      } catch (e: W) {
        return String(e.message ?? e.name ?? e);
      }
    }, good.replace('sessionId=media-room', 'sessionId=nowhere'));
    expect(unknown).not.to.equal('joined');
  });

  it('joins two clients with their tokens; each sees the other, and REST shows both active', async () => {
    const publisherConnection = await session.createConnection({ role: OpenViduRole.PUBLISHER, data: 'pub-server' });
    const subscriberConnection = await session.createConnection({ role: OpenViduRole.SUBSCRIBER, data: 'sub-server' });
    publisherId = await join(publisherPage, publisherConnection.token, 'pub-client');
    subscriberId = await join(subscriberPage, subscriberConnection.token, 'sub-client');
    expect(publisherId).to.equal(publisherConnection.connectionId);
    expect(subscriberId).to.equal(subscriberConnection.connectionId);
    await waitFor(() => publisherPage.evaluate(() => (window as W).t.events.some((e: W) => e.type === 'connectionCreated')), 10_000, 'connectionCreated on the publisher');
    const remoteData = await subscriberPage.evaluate(() => [...(window as W).t.session.remoteConnections.values()].map((c: W) => c.data));
    expect(remoteData).to.deep.equal(['pub-client%/%pub-server']);
    const { body } = await api('GET', `/openvidu/api/sessions/media-room/connection/${subscriberId}`);
    expect(body).to.include({ status: 'active', clientData: 'sub-client', serverData: 'sub-server', role: 'SUBSCRIBER', ip: '127.0.0.1' });
    expect(body.platform).to.match(/Chrom/);
    expect(body.activeAt).to.be.a('number');
  });

  it('publishes the fake camera, and the subscriber receives decoded video frames forwarded by the engine', async () => {
    streamId = await publish(publisherPage);
    expect(streamId).to.match(new RegExp(`^str_CAM_[a-zA-Z0-9]{4}_${publisherId}$`));
    await subscribeFirstStream(subscriberPage);
    const first = await waitFor(async () => ((await framesDecoded(subscriberPage)) > 10 ? framesDecoded(subscriberPage) : undefined), 40_000, 'decoded frames');
    await waitFor(async () => (await framesDecoded(subscriberPage)) > first + 10, 20_000, 'frames to keep coming');
    await waitFor(async () => (await audioPackets(subscriberPage)) > 50, 20_000, 'audio packets');
    const { body } = await api('GET', `/openvidu/api/sessions/media-room/connection/${publisherId}`);
    expect(body.publishers).to.have.length(1);
    expect(body.publishers[0].streamId).to.equal(streamId);
    expect(body.publishers[0].mediaOptions).to.include({ hasAudio: true, hasVideo: true, typeOfVideo: 'CAMERA' });
    const subscriber = (await api('GET', `/openvidu/api/sessions/media-room/connection/${subscriberId}`)).body;
    expect(subscriber.subscribers.map((s: W) => s.streamId)).to.deep.equal([streamId]);
  });

  it('refuses publishing to a SUBSCRIBER (permission denied)', async () => {
    const error = await subscriberPage.evaluate(async () => {
      const w = window as W;
      try {
        const publisher = await w.t.OV.initPublisherAsync(undefined, { resolution: '160x120' });
        await w.t.session.publish(publisher);
        return 'published';
      } catch (e: W) {
        return e.name ?? String(e);
      }
    });
    expect(error).to.equal('OPENVIDU_PERMISSION_DENIED');
  });

  it('relays signals between clients and from REST, with the sender', async () => {
    await publisherPage.evaluate((to) => (window as W).t.session.signal({ data: 'hello', type: 'chat', to: [(window as W).t.session.remoteConnections.get(to)] }), subscriberId);
    expect((await api('POST', '/openvidu/api/signal', { session: 'media-room', type: 'notice', data: 'from server' })).status).to.equal(200);
    const signals = await waitFor(async () => {
      const got = await subscriberPage.evaluate(() => (window as W).t.signals);
      return got.length >= 2 ? got : undefined;
    }, 10_000, 'two signals');
    expect(signals).to.deep.include({ type: 'signal:chat', data: 'hello', from: publisherId });
    expect(signals).to.deep.include({ type: 'signal:notice', data: 'from server', from: null });
  });

  it('lets only a MODERATOR force a disconnection', async () => {
    const error = await subscriberPage.evaluate(async (target) => {
      const w = window as W;
      try {
        await w.t.session.forceDisconnect(w.t.session.remoteConnections.get(target));
        return 'done';
      } catch (e: W) {
        return e.name ?? String(e);
      }
    }, publisherId);
    expect(error).not.to.equal('done');
    expect((await api('GET', `/openvidu/api/sessions/media-room/connection/${publisherId}`)).body.status).to.equal('active');
  });

  it('evicts a participant with DELETE connection: it gets sessionDisconnected, the other connectionDestroyed', async () => {
    expect((await api('DELETE', `/openvidu/api/sessions/media-room/connection/${subscriberId}`)).status).to.equal(204);
    const disconnected = await waitFor(() => subscriberPage.evaluate(() => (window as W).t.events.find((e: W) => e.type === 'sessionDisconnected')), 10_000, 'sessionDisconnected');
    expect(disconnected.reason).to.equal('forceDisconnectByServer');
    const destroyed = await waitFor(() => publisherPage.evaluate(() => (window as W).t.events.find((e: W) => e.type === 'connectionDestroyed')), 10_000, 'connectionDestroyed');
    expect(destroyed.reason).to.equal('forceDisconnectByServer');
  });

  it('force-unpublishes a stream with DELETE stream', async () => {
    expect((await api('DELETE', `/openvidu/api/sessions/media-room/stream/${streamId}`)).status).to.equal(204);
    const destroyed = await waitFor(() => publisherPage.evaluate(() => (window as W).t.events.find((e: W) => e.type === 'publisherStreamDestroyed')), 10_000, 'streamDestroyed on the Publisher');
    expect(destroyed.reason).to.equal('forceUnpublishByServer');
    expect((await api('GET', `/openvidu/api/sessions/media-room/connection/${publisherId}`)).body.publishers).to.deep.equal([]);
  });

  it('closes the session when the last participant leaves, and posted the webhooks of the whole story', async () => {
    await publisherPage.evaluate(() => (window as W).t.session.disconnect());
    await waitFor(async () => (await api('GET', '/openvidu/api/sessions/media-room')).status === 404, 10_000, 'the session to close');
    const events = await waitFor(() => {
      const list = hooks.received.filter((h) => h.body.sessionId === 'media-room').map((h) => h.body);
      // Deliveries run in parallel: sessionDestroyed may land before the publisher's participantLeft.
      const complete = list.some((e) => e.event === 'sessionDestroyed') && list.some((e) => e.event === 'participantLeft' && e.connectionId === publisherId);
      return complete ? list : undefined;
    }, 20_000, 'sessionDestroyed and the last participantLeft webhooks');
    const names = events.map((e) => e.event);
    for (const name of ['sessionCreated', 'participantJoined', 'participantLeft', 'webrtcConnectionCreated', 'webrtcConnectionDestroyed', 'signalSent', 'sessionDestroyed']) expect(names, name).to.include(name);
    const joined = events.find((e) => e.event === 'participantJoined' && e.connectionId === subscriberId)!;
    expect(joined).to.include({ clientData: 'sub-client', serverData: 'sub-server' });
    const left = events.find((e) => e.event === 'participantLeft' && e.connectionId === publisherId)!;
    expect(left.reason).to.equal('disconnect');
    expect(events.find((e) => e.event === 'sessionDestroyed')!.reason).to.equal('lastParticipantLeft');
    const inbound = events.find((e) => e.event === 'webrtcConnectionCreated' && e.connection === 'INBOUND')!;
    expect(inbound).to.include({ connectionId: subscriberId, receivingFrom: publisherId, streamId });
  });

  describe('IPCAM connections', () => {
    let camera: http.Server;
    let cameraUrl: string;
    let cameraId: string;
    let viewer: Page;

    before(async () => {
      const sample = await makeSample({ seconds: 40, width: 320, height: 240 });
      camera = http.createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'video/x-matroska' });
        createReadStream(sample).pipe(res);
      });
      await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
      cameraUrl = `http://127.0.0.1:${(camera.address() as AddressInfo).port}/camera.mkv`;
      expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'camera-room' })).status).to.equal(200);
    });
    after(async () => {
      await new Promise<void>((resolve) => camera?.close(() => resolve()));
    });

    it('answers 500 when the camera cannot be read', async () => {
      const { status } = await api('POST', '/openvidu/api/sessions/camera-room/connection', { type: 'IPCAM', rtspUri: 'rtsp://127.0.0.1:1/nothing' });
      expect(status).to.equal(500);
      expect((await api('GET', '/openvidu/api/sessions/camera-room/connection')).body.numberOfElements).to.equal(0);
    });

    it('pulls the camera at once: an active connection publishing an IPCAM stream', async () => {
      const { status, body } = await api('POST', '/openvidu/api/sessions/camera-room/connection', { type: 'IPCAM', rtspUri: cameraUrl, data: 'Office camera' });
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ type: 'IPCAM', status: 'active', platform: 'IPCAM', rtspUri: cameraUrl, adaptativeBitrate: true, onlyPlayWithSubscribers: true, networkCache: 2000, token: null, role: null, serverData: 'Office camera' });
      expect(body.publishers).to.have.length(1);
      expect(body.publishers[0].streamId).to.match(/^str_IPC_/);
      expect(body.publishers[0].mediaOptions.typeOfVideo).to.equal('IPCAM');
      cameraId = body.id;
    });

    it('lets a browser subscribe to the camera and decode its frames', async () => {
      const connection = (await api('POST', '/openvidu/api/sessions/camera-room/connection', {})).body;
      viewer = await participantPage(browser, pages.url);
      await join(viewer, connection.token, 'viewer');
      await viewer.evaluate(async () => {
        const w = window as W;
        const stream = [...w.t.session.remoteConnections.values()].map((c: W) => c.stream).find(Boolean);
        w.t.subscriber = await w.t.session.subscribeAsync(stream, undefined);
      });
      await waitFor(async () => (await framesDecoded(viewer)) > 20, 40_000, 'camera frames');
    });

    it('speaks the JSON-RPC envelope, and resumes an RPC session on a new socket with "connect"', async () => {
      const { token, id } = (await api('POST', '/openvidu/api/sessions/camera-room/connection', { data: 'raw' })).body;
      const liveUrl = token.replace(/\?.*$/, '');
      const url = `${liveUrl}/openvidu?sessionId=camera-room`;
      // A string, not a function: the test transpiler would wrap named helpers in a __name() the page lacks.
      const result = await viewer.evaluate(`(async () => {
        const url = ${JSON.stringify(url)};
        const token = ${JSON.stringify(token)};
        const open = (address) => new Promise((resolve, reject) => {
          const ws = new WebSocket(address);
          ws.onopen = () => resolve(ws);
          ws.onerror = reject;
        });
        const call = (ws, id, method, params) => new Promise((resolve) => {
          const onMessage = (event) => {
            const message = JSON.parse(event.data);
            if (message.id !== id) return;
            ws.removeEventListener('message', onMessage);
            resolve(message);
          };
          ws.addEventListener('message', onMessage);
          ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
        });
        const first = await open(url);
        const early = await call(first, 0, 'publishVideo', { sdpOffer: 'v=0' });
        const joined = await call(first, 1, 'joinRoom', { token, session: 'camera-room', platform: 'raw test', metadata: 'raw-client', secret: '', recorder: false, stt: false, sdkVersion: '2.32.1' });
        const ping = await call(first, 2, 'ping', { interval: 5000 });
        await new Promise((resolve) => { first.onclose = () => resolve(); first.close(4104); });
        const second = await open(url + '&reconnect=true');
        const stranger = await call(second, 0, 'connect', { sessionId: 'not-a-session', reconnect: true });
        const resumed = await call(second, 1, 'connect', { sessionId: joined.result.sessionId, reconnect: true });
        window.t.rawSignal = new Promise((resolve) => second.addEventListener('message', (event) => {
          const message = JSON.parse(event.data);
          if (message.method === 'sendMessage') resolve(message);
        }));
        window.t.rawSocket = second;
        return { early, joined, ping, stranger, resumed };
      })()`) as W;
      expect(result.early.error.code).to.equal(803);
      expect(result.joined.jsonrpc).to.equal('2.0');
      expect(result.joined.result).to.include({ id, finalUserId: id, session: 'camera-room', version: '2.32.1', mediaServer: engine === 'mediasoup' ? 'mediasoup' : 'kurento', videoSimulcast: engine === 'mediasoup', role: 'PUBLISHER', record: true, metadata: 'raw-client%/%raw' });
      expect(result.joined.result.sessionId).to.be.a('string');
      expect(result.joined.result.value.map((c: W) => c.id)).to.include(cameraId);
      expect(result.ping.result).to.deep.equal({ value: 'pong', sessionId: result.joined.result.sessionId });
      expect(result.stranger.error.code).to.equal(40007);
      expect(result.resumed.result).to.deep.equal({ value: 'reconnection successful', sessionId: result.joined.result.sessionId });
      expect((await api('POST', '/openvidu/api/signal', { session: 'camera-room', to: [id], type: 'after-resume', data: 'still here' })).status).to.equal(200);
      const delivered = await viewer.evaluate(() => (window as W).t.rawSignal);
      expect(delivered.params).to.include({ type: 'signal:after-resume', data: 'still here' });
      await viewer.evaluate(() => (window as W).t.rawSocket.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'leaveRoom', params: {} })));
      await waitFor(async () => (await api('GET', `/openvidu/api/sessions/camera-room/connection/${id}`)).status === 404, 10_000, 'the raw participant to leave');
    });

    it('refuses to delete the IPCAM stream directly (405), and deletes the connection', async () => {
      const streamOfCamera = (await api('GET', `/openvidu/api/sessions/camera-room/connection/${cameraId}`)).body.publishers[0].streamId;
      expect((await api('DELETE', `/openvidu/api/sessions/camera-room/stream/${streamOfCamera}`)).status).to.equal(405);
      expect((await api('DELETE', `/openvidu/api/sessions/camera-room/connection/${cameraId}`)).status).to.equal(204);
      await waitFor(() => viewer.evaluate(() => (window as W).t.events.some((e: W) => e.type === 'streamDestroyed')), 10_000, 'streamDestroyed at the viewer');
    });
  });
});
