import { expect } from 'chai';
import { OpenVidu } from 'openvidu-node-client';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { waitFor } from './support/waitFor.js';
import { webhookReceiver } from './support/webhookReceiver.js';

describe('live: webhooks and session garbage collection', () => {
  let conf: TestConf;
  let ws: RunningProcess;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let api: ReturnType<typeof openviduApi>;
  let ov: OpenVidu;

  before(async () => {
    hooks = await webhookReceiver();
    conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'], webhookRetryDelayMs: 500 } } });
    const liveUrl = await writeLiveConf(conf, {
      webhook: { enabled: true, endpoint: hooks.url, headers: ['Authorization: Basic d2ViaG9vazpzZWNyZXQ=', 'X-Origin: live'], events: ['sessionCreated', 'sessionDestroyed', 'signalSent'] },
      sessionsGarbageInterval: 1,
      sessionsGarbageThreshold: 2,
    });
    ws = await startProcess(conf, 'ws');
    api = openviduApi(liveUrl);
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
  });
  after(async () => {
    await ws?.stop();
    await hooks?.close();
  });

  const eventsOf = (sessionId: string) => hooks.received.filter((hook) => hook.body.sessionId === sessionId);

  it('posts sessionCreated with the configured headers and OpenVidu fields', async () => {
    const session = await ov.createSession({ customSessionId: 'hooked' });
    const [created] = await waitFor(() => eventsOf('hooked').length > 0 && eventsOf('hooked'), 20_000, 'sessionCreated');
    expect(created!.headers.authorization).to.equal('Basic d2ViaG9vazpzZWNyZXQ=');
    expect(created!.headers['x-origin']).to.equal('live');
    expect(created!.headers['content-type']).to.equal('application/json');
    expect(created!.body).to.have.keys('event', 'sessionId', 'uniqueSessionId', 'timestamp');
    expect(created!.body).to.include({ event: 'sessionCreated', sessionId: 'hooked', uniqueSessionId: `hooked_${session.createdAt}` });
  });

  it('collects a session nobody joined after the threshold, posting sessionDestroyed with its duration and reason', async () => {
    const destroyed = await waitFor(() => eventsOf('hooked').find((hook) => hook.body.event === 'sessionDestroyed'), 30_000, 'sessionDestroyed');
    expect(destroyed.body).to.include({ sessionId: 'hooked', reason: 'sessionClosedByServer' });
    expect(destroyed.body.duration).to.be.at.least(2);
    expect(destroyed.body.startTime).to.be.a('number');
    expect((await api('GET', '/openvidu/api/sessions/hooked')).status).to.equal(404);
  });

  it('keeps to the event filter, which /pro/restart changes at once', async () => {
    expect((await api('POST', '/pro/restart', { OPENVIDU_WEBHOOK_EVENTS: ['sessionDestroyed'] })).status).to.equal(200);
    expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'filtered' })).status).to.equal(200);
    expect((await api('DELETE', '/openvidu/api/sessions/filtered')).status).to.equal(204);
    const destroyed = await waitFor(() => eventsOf('filtered').find((hook) => hook.body.event === 'sessionDestroyed'), 20_000, 'sessionDestroyed of filtered');
    expect(destroyed.body.reason).to.equal('sessionClosedByServer');
    expect(eventsOf('filtered').map((hook) => hook.body.event)).to.deep.equal(['sessionDestroyed']);
  });

  it('writes the CDR once it is turned on, one JSON line per event', async () => {
    expect((await api('POST', '/pro/restart', { 'openvidu.cdr': true })).status).to.equal(200);
    expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'cdr' })).status).to.equal(200);
    expect((await api('DELETE', '/openvidu/api/sessions/cdr')).status).to.equal(204);
    const file = path.join(conf.dataDir, 'live', 'cdr', 'CDR.log');
    const lines = await waitFor(async () => {
      const text = await readFile(file, 'utf8').catch(() => '');
      const parsed = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
      return parsed.length >= 2 ? parsed : undefined;
    }, 10_000, 'two CDR lines');
    expect(Object.keys(lines[0])).to.deep.equal(['sessionCreated']);
    expect(lines[0].sessionCreated).to.include({ sessionId: 'cdr', event: 'sessionCreated' });
    expect(lines[1].sessionDestroyed).to.include({ sessionId: 'cdr', reason: 'sessionClosedByServer' });
  });
});
