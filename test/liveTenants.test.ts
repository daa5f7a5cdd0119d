import { expect } from 'chai';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { basic, bearerFor, request } from './support/http.js';
import { loopbackCamera } from './support/camera.js';
import { OPENVIDU_SECRET, openviduApi, writeLiveConf } from './support/openvidu.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

/** Two applications with the live scope on one platform: neither reaches the other's sessions or recordings. */
describe('live: tenant isolation between applications', function () {
  this.timeout(120_000);
  let conf: TestConf;
  let ws: RunningProcess;
  let camera: Awaited<ReturnType<typeof loopbackCamera>>;
  let liveUrl: string;
  let operator: ReturnType<typeof openviduApi>;
  let owner: ReturnType<typeof openviduApi>;
  let other: ReturnType<typeof openviduApi>;
  let ownerAuth: string;
  let otherAuth: string;
  let cameraConnection: string;
  let streamId: string;
  let recordingUrl: string;

  const application = async (name: string) => {
    const created = await runServerJs(['--create-application', name, '--scopes', 'live'], { conf });
    const { clientId, clientSecret } = JSON.parse(created.stdout) as { clientId: string; clientSecret: string };
    return (await bearerFor(ws.url, clientId, clientSecret)).Authorization;
  };

  /** The status another application gets must be the one an unknown id gets. */
  const likeUnknown = async (method: string, foreign: string, unknown: string, body?: unknown) => {
    const [a, b] = [await other(method, foreign, body), await other(method, unknown, body)];
    expect(a.status, `${method} ${foreign}`).to.equal(b.status);
    return a.status;
  };

  before(async () => {
    camera = await loopbackCamera();
    conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
    liveUrl = await writeLiveConf(conf, { webhook: { headers: ['Authorization: Basic b3BlcmF0b3I6c2VjcmV0'] } });
    ws = await startProcess(conf, 'ws');
    ownerAuth = await application('tenant-a');
    otherAuth = await application('tenant-b');
    operator = openviduApi(liveUrl);
    owner = openviduApi(liveUrl, ownerAuth);
    other = openviduApi(liveUrl, otherAuth);

    expect((await owner('POST', '/openvidu/api/sessions', { customSessionId: 'a-room' })).status).to.equal(200);
    const cam = await owner('POST', '/openvidu/api/sessions/a-room/connection', { type: 'IPCAM', rtspUri: camera.url, data: 'a camera' });
    expect(cam.status, JSON.stringify(cam.body)).to.equal(200);
    cameraConnection = cam.body.id;
    streamId = cam.body.publishers[0].streamId;
    const started = await owner('POST', '/openvidu/api/recordings/start', { session: 'a-room', outputMode: 'INDIVIDUAL', name: 'a-rec' });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
    await waitFor(async () => {
      const dir = path.join(conf.dataDir, 'live', 'recordings', 'a-room');
      const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.webm'));
      const sizes = await Promise.all(files.map(async (name) => (await stat(path.join(dir, name))).size));
      return sizes.some((size) => size > 20_000);
    }, 40_000, 'the recording to grow');
  });
  after(async () => {
    await ws?.stop();
    await camera?.close();
  });

  it('lists only the caller\'s sessions; the operator sees all', async () => {
    expect((await owner('GET', '/openvidu/api/sessions')).body.content.map((s: { id: string }) => s.id)).to.deep.equal(['a-room']);
    expect((await other('POST', '/openvidu/api/sessions', { customSessionId: 'b-room' })).status).to.equal(200);
    const listed = await other('GET', '/openvidu/api/sessions?pendingConnections=true');
    expect(listed.body.content.map((s: { id: string }) => s.id)).to.deep.equal(['b-room']);
    expect(JSON.stringify(listed.body)).not.to.contain(cameraConnection);
    expect((await operator('GET', '/openvidu/api/sessions')).body.content.map((s: { id: string }) => s.id)).to.have.members(['a-room', 'b-room']);
  });

  it('shows each application only its own sessions in the media nodes, and lets only the operator change the nodes (403)', async () => {
    const hosting = (list: { content: { sessions: { id: string }[] }[] }) => list.content.flatMap((node) => node.sessions.map((s) => s.id));
    expect(hosting((await owner('GET', '/openvidu/api/media-nodes?sessions=true')).body)).to.deep.equal(['a-room']);
    expect(hosting((await other('GET', '/openvidu/api/media-nodes?sessions=true')).body)).to.deep.equal([]);
    expect(hosting((await operator('GET', '/openvidu/api/media-nodes?sessions=true')).body)).to.include('a-room');
    const nodeId = (await owner('GET', '/openvidu/api/sessions/a-room')).body.mediaNodeId;
    expect(nodeId).to.match(/^media_/);
    expect((await other('GET', `/openvidu/api/media-nodes/${nodeId}?sessions=true`)).body.sessions).to.deep.equal([]);
    for (const [method, url, body] of [
      ['POST', '/openvidu/api/media-nodes', { uri: 'worker://localhost' }],
      ['PUT', '/openvidu/api/media-nodes', undefined],
      ['PATCH', `/openvidu/api/media-nodes/${nodeId}`, { status: 'waiting-idle-to-terminate' }],
      ['DELETE', `/openvidu/api/media-nodes/${nodeId}?deletion-strategy=now`, undefined],
    ] as const) {
      expect((await owner(method, url, body)).status, `${method} ${url}`).to.equal(403);
    }
    expect((await owner('GET', '/openvidu/api/sessions/a-room')).status).to.equal(200);
  });

  it('answers another application exactly like unknown ids: no session, connection, token, signal, stream or recording start', async () => {
    expect(await likeUnknown('GET', '/openvidu/api/sessions/a-room', '/openvidu/api/sessions/nope')).to.equal(404);
    expect(await likeUnknown('GET', '/openvidu/api/sessions/a-room/connection', '/openvidu/api/sessions/nope/connection')).to.equal(404);
    expect(await likeUnknown('GET', `/openvidu/api/sessions/a-room/connection/${cameraConnection}`, `/openvidu/api/sessions/nope/connection/${cameraConnection}`)).to.equal(400);
    expect(await likeUnknown('POST', '/openvidu/api/sessions/a-room/connection', '/openvidu/api/sessions/nope/connection', { role: 'MODERATOR' })).to.equal(404);
    expect(await likeUnknown('PATCH', `/openvidu/api/sessions/a-room/connection/${cameraConnection}`, `/openvidu/api/sessions/nope/connection/${cameraConnection}`, { record: false })).to.equal(404);
    expect(await likeUnknown('DELETE', `/openvidu/api/sessions/a-room/connection/${cameraConnection}`, `/openvidu/api/sessions/nope/connection/${cameraConnection}`)).to.equal(400);
    expect(await likeUnknown('DELETE', `/openvidu/api/sessions/a-room/stream/${streamId}`, `/openvidu/api/sessions/nope/stream/${streamId}`)).to.equal(400);
    expect((await other('POST', '/openvidu/api/tokens', { session: 'a-room', role: 'MODERATOR' })).status).to.equal(404);
    expect((await other('POST', '/openvidu/api/signal', { session: 'a-room', data: 'hi' })).status).to.equal(404);
    expect((await other('POST', '/openvidu/api/recordings/start', { session: 'a-room' })).status).to.equal(404);
    expect(await likeUnknown('DELETE', '/openvidu/api/sessions/a-room', '/openvidu/api/sessions/nope')).to.equal(404);
    const still = await owner('GET', '/openvidu/api/sessions/a-room');
    expect(still.status).to.equal(200);
    expect(still.body.connections.content.map((c: { id: string }) => c.id)).to.deep.equal([cameraConnection]);
  });

  it('hides the recording in progress from another application, which cannot stop it', async () => {
    expect(await likeUnknown('POST', '/openvidu/api/recordings/stop/a-room', '/openvidu/api/recordings/stop/nope')).to.equal(404);
    expect(await likeUnknown('GET', '/openvidu/api/recordings/a-room', '/openvidu/api/recordings/nope')).to.equal(404);
    expect((await owner('GET', '/openvidu/api/recordings/a-room')).body.status).to.equal('started');
  });

  it('lets the owner stop its recording, and another application cannot list, get, download or delete it', async () => {
    expect((await owner('POST', '/openvidu/api/recordings/stop/a-room')).status).to.equal(200);
    const ready = await waitFor(async () => {
      const { body } = await owner('GET', '/openvidu/api/recordings/a-room');
      return body.status === 'ready' || body.status === 'failed' ? body : undefined;
    }, 60_000, 'the recording to be ready');
    expect(ready.status).to.equal('ready');
    recordingUrl = ready.url;
    expect((await other('GET', '/openvidu/api/recordings')).body).to.deep.equal({ count: 0, items: [] });
    expect((await owner('GET', '/openvidu/api/recordings')).body.items.map((r: { id: string }) => r.id)).to.deep.equal(['a-room']);
    expect((await operator('GET', '/openvidu/api/recordings')).body.items.map((r: { id: string }) => r.id)).to.deep.equal(['a-room']);
    expect(await likeUnknown('GET', '/openvidu/api/recordings/a-room', '/openvidu/api/recordings/nope')).to.equal(404);
    const fileName = new URL(recordingUrl).pathname.split('/').at(-1)!;
    const foreign = await request(recordingUrl, { headers: { Authorization: otherAuth } });
    const unknown = await request(`${liveUrl}/openvidu/recordings/nope/${fileName}`, { headers: { Authorization: otherAuth } });
    expect(foreign.status).to.equal(404);
    expect(unknown.status).to.equal(404);
    expect((await fetch(recordingUrl, { headers: { Authorization: ownerAuth } })).status).to.equal(200);
    expect((await fetch(recordingUrl, { headers: { Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) } })).status).to.equal(200);
    expect(await likeUnknown('DELETE', '/openvidu/api/recordings/a-room', '/openvidu/api/recordings/nope')).to.equal(404);
    expect((await owner('GET', '/openvidu/api/recordings/a-room')).status, 'still there').to.equal(200);
  });

  it('keeps /pro/restart and /openvidu/api/restart to the operator (403), and masks the webhook headers from applications', async () => {
    const attack = { OPENVIDU_RECORDING_PUBLIC_ACCESS: true, OPENVIDU_WEBHOOK: true, OPENVIDU_WEBHOOK_ENDPOINT: 'http://attacker.example/hook', OPENVIDU_RECORDING_PATH: '/tmp' };
    for (const route of ['/pro/restart', '/openvidu/api/restart']) {
      const refused = await other('POST', route, attack);
      expect(refused.status, route).to.equal(403);
      expect(refused.body).to.include({ status: 403 });
      expect((await owner('POST', route, { OPENVIDU_CDR: true })).status, route).to.equal(403);
    }
    const config = await other('GET', '/openvidu/api/config');
    expect(config.status).to.equal(200);
    expect(config.body).to.include({ OPENVIDU_RECORDING_PUBLIC_ACCESS: false, OPENVIDU_WEBHOOK: false, OPENVIDU_RECORDING_PATH: path.join(conf.dataDir, 'live', 'recordings') });
    expect(config.body.OPENVIDU_WEBHOOK_HEADERS).to.deep.equal(['Authorization: ***']);
    expect((await other('GET', '/pro/config')).body.openviduWebhookHeaders).to.deep.equal(['Authorization: ***']);
    expect((await operator('GET', '/pro/config')).body.openviduWebhookHeaders).to.deep.equal(['Authorization: Basic b3BlcmF0b3I6c2VjcmV0']);
    expect((await request(recordingUrl)).status, 'public access still off').to.equal(401);
  });

  it('lets the operator restart, but not move the recordings out of the data folder', async () => {
    expect((await operator('POST', '/pro/restart', { OPENVIDU_RECORDING_PATH: '/tmp' })).status).to.equal(400);
    expect((await operator('POST', '/pro/restart', { OPENVIDU_RECORDING_PATH: path.join(conf.dataDir, '..') })).status).to.equal(400);
    expect((await operator('POST', '/pro/restart', { OPENVIDU_CDR: true })).status).to.equal(200);
    expect((await operator('GET', '/openvidu/api/config')).body).to.include({ OPENVIDU_CDR: true, OPENVIDU_RECORDING_PATH: path.join(conf.dataDir, 'live', 'recordings') });
  });

  it('lets the owner and the operator delete what is theirs to delete', async () => {
    expect((await owner('DELETE', '/openvidu/api/recordings/a-room')).status).to.equal(204);
    expect((await operator('DELETE', '/openvidu/api/sessions/b-room')).status).to.equal(204);
    expect((await owner('DELETE', '/openvidu/api/sessions/a-room')).status).to.equal(204);
    expect((await operator('GET', '/openvidu/api/sessions')).body.numberOfElements).to.equal(0);
  });
});
