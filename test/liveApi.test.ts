import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OpenVidu, OpenViduRole, type Session } from 'openvidu-node-client';
import { basic, bearerFor, request } from './support/http.js';
import { OPENVIDU_SECRET, openviduApi, writeLiveConf } from './support/openvidu.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';

const exec = promisify(execFile);

describe('live: the OpenVidu REST API on its own port', () => {
  let conf: TestConf;
  let ws: RunningProcess;
  let liveUrl: string;
  let ov: OpenVidu;
  let api: ReturnType<typeof openviduApi>;

  before(async () => {
    conf = await makeConf();
    liveUrl = await writeLiveConf(conf);
    ws = await startProcess(conf, 'ws');
    ov = new OpenVidu(`${liveUrl}/any/path/is/dropped`, OPENVIDU_SECRET);
    api = openviduApi(liveUrl);
  });
  after(async () => {
    await ws?.stop();
  });

  describe('auth', () => {
    it('refuses no credentials, a wrong secret, a wrong user and a Bearer token without the live scope with 401', async () => {
      const app = JSON.parse((await runServerJs(['--create-application', 'pub', '--scopes', 'publish'], { conf })).stdout);
      const noLive = await bearerFor(ws.url, app.clientId, app.clientSecret);
      for (const authorization of [undefined, basic('OPENVIDUAPP', 'wrong'), basic('OTHER', OPENVIDU_SECRET), noLive.Authorization, 'Bearer not-a-token']) {
        const { status } = await request(`${liveUrl}/openvidu/api/sessions`, { headers: authorization ? { Authorization: authorization } : {} });
        expect(status, String(authorization)).to.equal(401);
      }
      expect((await request(`${liveUrl}/pro/config`)).status).to.equal(401);
    });

    it('accepts a Bearer token of the core carrying the live scope', async () => {
      const app = JSON.parse((await runServerJs(['--create-application', 'live', '--scopes', 'live'], { conf })).stdout);
      const bearer = await bearerFor(ws.url, app.clientId, app.clientSecret);
      const { status, body } = await openviduApi(liveUrl, bearer.Authorization)('GET', '/openvidu/api/sessions');
      expect(status).to.equal(200);
      expect(body).to.have.keys('numberOfElements', 'content');
    });

    it('answers requests carrying a non-WebSocket Upgrade (h2c, as curl --http2 and the JDK client send) over HTTP/1.1', async () => {
      const { stdout } = await exec('curl', ['-s', '--http2', '-u', `OPENVIDUAPP:${OPENVIDU_SECRET}`, '-w', '\n%{http_code} %{http_version}', `${liveUrl}/openvidu/api/sessions`]);
      const [json, status] = stdout.split('\n');
      expect(status).to.equal('200 1.1');
      expect(JSON.parse(json!)).to.have.keys('numberOfElements', 'content');
      const created = await exec('curl', ['-s', '--http2', '-u', `OPENVIDUAPP:${OPENVIDU_SECRET}`, '-H', 'Content-Type: application/json', '-d', '{"customSessionId":"h2c"}', '-w', '\n%{http_code}', `${liveUrl}/openvidu/api/sessions`]);
      expect(created.stdout.split('\n')[1]).to.equal('200');
      expect((await api('DELETE', '/openvidu/api/sessions/h2c')).status).to.equal(204);
    });

    it('serves the public URL without credentials', async () => {
      const { status, body } = await request(`${liveUrl}/openvidu/api/config/openvidu-publicurl`);
      expect(status).to.equal(200);
      expect(body).to.equal(liveUrl);
    });
  });

  describe('sessions and connections through openvidu-node-client', () => {
    let session: Session;

    it('creates a session with a custom id and its recording defaults', async () => {
      session = await ov.createSession({ customSessionId: 'Room_1-a', recordingMode: 'MANUAL' as never, defaultRecordingProperties: { outputMode: 'INDIVIDUAL' as never } });
      expect(session.sessionId).to.equal('Room_1-a');
      expect(session.createdAt).to.be.a('number');
      expect(session.properties.defaultRecordingProperties?.outputMode).to.equal('INDIVIDUAL');
      const { body } = await api('GET', '/openvidu/api/sessions/Room_1-a');
      expect(body).to.include({ id: 'Room_1-a', object: 'session', mediaMode: 'ROUTED', recordingMode: 'MANUAL', customSessionId: 'Room_1-a', recording: false, broadcasting: false, allowTranscoding: false });
      expect(body.defaultRecordingProperties).to.deep.equal({ name: '', hasAudio: true, hasVideo: true, outputMode: 'INDIVIDUAL', ignoreFailedStreams: false });
      expect(body.connections).to.deep.equal({ numberOfElements: 0, content: [] });
    });

    it('answers 409 to a duplicate custom id, which the client turns into the existing session', async () => {
      expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'Room_1-a' })).status).to.equal(409);
      const again = await ov.createSession({ customSessionId: 'Room_1-a' });
      expect(again.createdAt).to.equal(session.createdAt);
    });

    it('takes every forcedVideoCodec of OpenVidu\'s VideoCodec, MEDIA_SERVER_PREFERRED (the Java client\'s default) included', async () => {
      for (const codec of ['MEDIA_SERVER_PREFERRED', 'NONE', 'VP8', 'VP9', 'H264']) {
        const { status, body } = await api('POST', '/openvidu/api/sessions', { forcedVideoCodec: codec, allowTranscoding: false });
        expect(status, `${codec}: ${JSON.stringify(body)}`).to.equal(200);
        expect(body.forcedVideoCodec, codec).to.equal(codec === 'MEDIA_SERVER_PREFERRED' ? 'VP8' : codec);
        expect((await api('DELETE', `/openvidu/api/sessions/${body.id}`)).status).to.equal(204);
      }
      expect((await api('POST', '/openvidu/api/sessions', { forcedVideoCodec: 'AV1' })).status).to.equal(400);
    });

    it('generates ids for sessions without a custom id, with the documented defaults', async () => {
      const { status, body } = await api('POST', '/openvidu/api/sessions', { customSessionId: null, mediaMode: null, defaultRecordingProperties: null });
      expect(status).to.equal(200);
      expect(body.id).to.match(/^ses_[a-zA-Z0-9]{10}$/);
      expect(body.defaultRecordingProperties).to.deep.equal({ name: '', hasAudio: true, hasVideo: true, outputMode: 'COMPOSED', recordingLayout: 'BEST_FIT', resolution: '1280x720', frameRate: 25, shmSize: 536870912 });
      expect((await api('DELETE', `/openvidu/api/sessions/${body.id}`)).status).to.equal(204);
    });

    it('creates connections whose token carries the public URL as ws', async () => {
      const connection = await session.createConnection({ role: OpenViduRole.MODERATOR, data: 'server data', kurentoOptions: { videoMaxRecvBandwidth: 500 }, customIceServers: [{ url: 'turn:turn.example.org:443', username: 'u', credential: 'c' }] });
      expect(connection.connectionId).to.match(/^con_[a-zA-Z0-9]{10}$/);
      expect(connection.status).to.equal('pending');
      expect(connection.token).to.match(new RegExp(`^ws://127\\.0\\.0\\.1:${conf.livePort}\\?sessionId=Room_1-a&token=tok_[a-zA-Z0-9]{16}$`));
      expect(connection.connectionProperties.role).to.equal('MODERATOR');
      expect(connection.connectionProperties.kurentoOptions).to.deep.include({ videoMaxRecvBandwidth: 500, videoMinRecvBandwidth: 300, videoMaxSendBandwidth: 1000 });
      const { body } = await api('GET', `/openvidu/api/sessions/Room_1-a/connection/${connection.connectionId}`);
      expect(body).to.include({ object: 'connection', type: 'WEBRTC', status: 'pending', sessionId: 'Room_1-a', serverData: 'server data', record: true, role: 'MODERATOR', clientData: null, activeAt: null });
      expect(body.customIceServers).to.deep.equal([{ url: 'turn:turn.example.org:443', username: 'u', credential: 'c' }]);
    });

    it('lists pending connections only when asked, and fetches them into the client', async () => {
      expect((await api('GET', '/openvidu/api/sessions/Room_1-a')).body.connections.numberOfElements).to.equal(0);
      expect((await api('GET', '/openvidu/api/sessions/Room_1-a?pendingConnections=true')).body.connections.numberOfElements).to.equal(1);
      expect((await api('GET', '/openvidu/api/sessions/Room_1-a/connection')).body.numberOfElements).to.equal(1);
      await ov.fetch();
      const fetched = ov.activeSessions.find((s) => s.sessionId === 'Room_1-a')!;
      expect(fetched.connections).to.have.length(1);
      expect(fetched.activeConnections).to.have.length(0);
    });

    it('changes role and record with PATCH, through updateConnection', async () => {
      const [connection] = session.connections;
      const updated = await session.updateConnection(connection!.connectionId, { role: OpenViduRole.SUBSCRIBER, record: false });
      expect(updated?.connectionProperties.role).to.equal('SUBSCRIBER');
      expect(updated?.connectionProperties.record).to.equal(false);
      const { body } = await api('GET', `/openvidu/api/sessions/Room_1-a/connection/${connection!.connectionId}`);
      expect(body).to.include({ role: 'SUBSCRIBER', record: false });
    });

    it('invalidates a pending connection with DELETE', async () => {
      const connection = await session.createConnection({});
      await session.forceDisconnect(connection.connectionId);
      expect((await api('GET', `/openvidu/api/sessions/Room_1-a/connection/${connection.connectionId}`)).status).to.equal(404);
    });

    it('issues tokens with the deprecated POST /tokens', async () => {
      const token = await session.generateToken({ role: OpenViduRole.PUBLISHER, data: 'legacy' });
      expect(token).to.match(/^ws:\/\/.*&token=tok_/);
      const { status, body } = await api('POST', '/openvidu/api/tokens', { session: 'Room_1-a', role: 'SUBSCRIBER' });
      expect(status).to.equal(200);
      expect(body).to.include({ session: 'Room_1-a', role: 'SUBSCRIBER', data: '', record: true });
      expect(body.id).to.equal(body.token);
      expect(body.connectionId).to.match(/^con_/);
    });

    it('closes the session, after which it is gone', async () => {
      await session.close();
      expect((await api('GET', '/openvidu/api/sessions/Room_1-a')).status).to.equal(404);
      await ov.fetch();
      expect(ov.activeSessions.map((s) => s.sessionId)).not.to.include('Room_1-a');
    });
  });

  describe('error statuses', () => {
    before(async () => {
      expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'errors' })).status).to.equal(200);
    });

    it('POST /sessions: 400 on each bad parameter, never a 500', async () => {
      const bad = [
        { mediaMode: 'MESH' },
        { recordingMode: 'SOMETIMES' },
        { customSessionId: 'has space' },
        { customSessionId: 42 },
        { forcedVideoCodec: 'AV2' },
        { allowTranscoding: 'yes' },
        { defaultRecordingProperties: { outputMode: 'SPLIT' } },
        { defaultRecordingProperties: { resolution: '99x100' } },
        { defaultRecordingProperties: { frameRate: 121 } },
        { defaultRecordingProperties: { name: 'bad name' } },
      ];
      for (const body of bad) {
        const response = await api('POST', '/openvidu/api/sessions', body);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body).to.include({ status: 400, error: 'Bad Request', path: '/openvidu/api/sessions' });
      }
      const notJson = await api('POST', '/openvidu/api/sessions', '{not json');
      expect(notJson.status).to.equal(400);
      expect(notJson.body, 'in OpenVidu\'s error shape').to.include({ status: 400, error: 'Bad Request', path: '/openvidu/api/sessions' });
    });

    it('GET and DELETE of an unknown session: 404', async () => {
      expect((await api('GET', '/openvidu/api/sessions/nope')).status).to.equal(404);
      expect((await api('DELETE', '/openvidu/api/sessions/nope')).status).to.equal(404);
    });

    it('connections: 404 unknown session on create/list/PATCH, 400 on get/delete, 404 unknown connection, 400 bad body', async () => {
      expect((await api('POST', '/openvidu/api/sessions/nope/connection', {})).status).to.equal(404);
      expect((await api('GET', '/openvidu/api/sessions/nope/connection')).status).to.equal(404);
      expect((await api('PATCH', '/openvidu/api/sessions/nope/connection/con_x', { role: 'PUBLISHER' })).status).to.equal(404);
      expect((await api('GET', '/openvidu/api/sessions/nope/connection/con_x')).status).to.equal(400);
      expect((await api('DELETE', '/openvidu/api/sessions/nope/connection/con_x')).status).to.equal(400);
      expect((await api('GET', '/openvidu/api/sessions/errors/connection/con_x')).status).to.equal(404);
      expect((await api('DELETE', '/openvidu/api/sessions/errors/connection/con_x')).status).to.equal(404);
      expect((await api('PATCH', '/openvidu/api/sessions/errors/connection/con_x', { role: 'PUBLISHER' })).status).to.equal(404);
      const bad = [
        { role: 'ADMIN' },
        { type: 'SIP' },
        { record: 'no' },
        { kurentoOptions: { videoMaxRecvBandwidth: -1 } },
        { customIceServers: [{ url: 'turn:t.example.org' }] },
        { customIceServers: [{ url: 'stun:s.example.org', username: 'u', credential: 'c' }] },
        { customIceServers: [{ url: 'http://x' }] },
        { type: 'IPCAM' },
        { type: 'IPCAM', rtspUri: 'not a uri' },
        { type: 'IPCAM', rtspUri: 'ftp://camera.example.org/feed' },
        { type: 'IPCAM', rtspUri: 'file:///etc/passwd' },
      ];
      for (const body of bad) expect((await api('POST', '/openvidu/api/sessions/errors/connection', body)).status, JSON.stringify(body)).to.equal(400);
      const { body: created } = await api('POST', '/openvidu/api/sessions/errors/connection', {});
      expect((await api('PATCH', `/openvidu/api/sessions/errors/connection/${created.id}`, { role: 'OWNER' })).status).to.equal(400);
      expect((await api('PATCH', `/openvidu/api/sessions/errors/connection/${created.id}`, { record: 1 })).status).to.equal(400);
    });

    it('DELETE stream: 400 unknown session, 404 unknown stream', async () => {
      expect((await api('DELETE', '/openvidu/api/sessions/nope/stream/str_CAM_abcd_con_x')).status).to.equal(400);
      expect((await api('DELETE', '/openvidu/api/sessions/errors/stream/str_CAM_abcd_con_x')).status).to.equal(404);
    });

    it('POST /tokens: 400 without session or with a bad role, 404 unknown session', async () => {
      expect((await api('POST', '/openvidu/api/tokens', {})).status).to.equal(400);
      expect((await api('POST', '/openvidu/api/tokens', { session: 'errors', role: 'KING' })).status).to.equal(400);
      expect((await api('POST', '/openvidu/api/tokens', { session: 'nope' })).status).to.equal(404);
    });

    it('POST /signal: 400 bad body, 404 unknown session, 406 when no connection can receive it', async () => {
      expect((await api('POST', '/openvidu/api/signal', { type: 'x' })).status).to.equal(400);
      expect((await api('POST', '/openvidu/api/signal', { session: 'errors', to: 'con_x' })).status).to.equal(400);
      expect((await api('POST', '/openvidu/api/signal', { session: 'nope' })).status).to.equal(404);
      expect((await api('POST', '/openvidu/api/signal', { session: 'errors', data: 'hello' })).status).to.equal(406);
      expect((await api('POST', '/openvidu/api/signal', { session: 'errors', to: ['con_unknown'] })).status).to.equal(406);
    });

    it('unknown paths: 404 with the OpenVidu error body', async () => {
      const { status, body } = await api('GET', '/openvidu/api/nothing-here');
      expect(status).to.equal(404);
      expect(body).to.include({ status: 404, path: '/openvidu/api/nothing-here' });
    });

    it('a method a path does not take: 405 with Allow and the OpenVidu error body, TRACE included', async () => {
      const put = await api('PUT', '/openvidu/api/sessions');
      expect(put.status).to.equal(405);
      expect(put.headers.get('allow')?.split(', ')).to.have.members(['HEAD', 'GET', 'POST']);
      expect(put.body).to.include({ status: 405, error: 'Method Not Allowed', path: '/openvidu/api/sessions' });
      const { stdout } = await exec('curl', ['-s', '-i', '-X', 'TRACE', '-u', `OPENVIDUAPP:${OPENVIDU_SECRET}`, `${liveUrl}/openvidu/api/recordings`]);
      expect(stdout).to.match(/^HTTP\/1\.1 405 /);
      expect(JSON.parse(stdout.slice(stdout.indexOf('\r\n\r\n') + 4))).to.include({ status: 405, error: 'Method Not Allowed', path: '/openvidu/api/recordings' });
    });

    it('serves its OpenAPI document without credentials, built from the schemas the routes validate with', async () => {
      const { status, body } = await request(`${liveUrl}/openvidu/api/openapi.json`);
      expect(status).to.equal(200);
      expect(body.openapi).to.equal('3.1.0');
      expect(Object.keys(body.paths)).to.include.members(['/openvidu/api/sessions', '/openvidu/api/sessions/{sessionId}/connection', '/openvidu/api/recordings/start', '/openvidu/api/broadcast/start', '/openvidu/api/signal', '/openvidu/api/config', '/openvidu/api/media-nodes']);
      const create = body.paths['/openvidu/api/sessions'].post;
      expect(create.requestBody.content['application/json'].schema.properties.customSessionId.pattern).to.equal('^[a-zA-Z0-9_-]*$');
      expect(create.responses['200'].content['application/json'].schema.properties.object).to.deep.equal({ type: 'string', const: 'session' });
      expect(create.responses['409'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Error' });
      expect(body.components.schemas.Error.required).to.have.members(['timestamp', 'status', 'error', 'message', 'path']);
      expect(body.paths['/openvidu/api/config/openvidu-publicurl'].get.security).to.deep.equal([{}]);
      // OpenVidu Pro's spellings beside the API's root, with their own operation ids.
      expect(body.paths['/pro/config'].get.operationId).to.equal('getProConfig');
      expect(body.paths['/pro/restart'].post.responses['200'].content['application/json'].schema.required).to.include('openviduWebhookHeaders');
    });

    it('speech-to-text load and unload: 501 with the OpenVidu error body, as no engine is configured; credentials still come first', async () => {
      for (const operation of ['load', 'unload']) {
        const route = `/openvidu/api/speech-to-text/${operation}`;
        for (const body of [{ lang: 'en-US', mediaNode: { id: 'media_i-0c58bcdd26l11d0sd' } }, {}]) {
          const answer = await api('POST', route, body);
          expect(answer.status, `${operation} ${JSON.stringify(body)}`).to.equal(501);
          expect(answer.body).to.include({ status: 501, error: 'Not Implemented', message: 'Speech to Text module is disabled', path: route });
          expect(answer.body.timestamp).to.be.a('number');
        }
        expect((await openviduApi(liveUrl, basic('OPENVIDUAPP', 'wrong'))('POST', route, { lang: 'en-US' })).status).to.equal(401);
      }
    });
  });

  describe('configuration', () => {
    it('GET /openvidu/api/config and GET /pro/config describe the configuration in force', async () => {
      const { body } = await api('GET', '/openvidu/api/config');
      expect(body).to.include({ VERSION: '2.32.1', OPENVIDU_PUBLICURL: liveUrl, OPENVIDU_CDR: false, OPENVIDU_RECORDING: true, OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 120, OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 1000, OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: 3600 });
      expect(body.OPENVIDU_RECORDING_PATH).to.equal(path.join(conf.dataDir, 'live', 'recordings'));
      const pro = await api('GET', '/pro/config');
      expect(pro.status).to.equal(200);
      expect(pro.body).to.include({ version: '2.32.1', openviduPublicurl: `${liveUrl}/`, maxRecvBandwidth: 1000, openviduRecordingAutostopTimeout: 120, openviduProStatsMonitoringInterval: 30, openviduProStatsWebrtcInterval: 20 });
    });

    it('POST /pro/restart: 400 on an unknown, unmodifiable or invalid property, and nothing changes', async () => {
      for (const body of [{ 'openvidu.nonsense': 1 }, { 'openvidu.secret': '' }, { 'openvidu.pro.stats.webrtc-interval': -1 }, { 'openvidu.recording.autostop-timeout': 'soon' }, { OPENVIDU_RECORDING_NOTIFICATION: 'everyone' }, { OPENVIDU_WEBHOOK: true, OPENVIDU_WEBHOOK_ENDPOINT: 'not a url' }, []]) {
        expect((await api('POST', '/pro/restart', body)).status, JSON.stringify(body)).to.equal(400);
      }
      expect((await api('GET', '/openvidu/api/config')).body).to.include({ OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 120, OPENVIDU_WEBHOOK: false });
    });

    it('POST /pro/restart takes the reference\'s sample body (recording path inside the data folder) and answers Pro\'s form; the new secret is the one in force', async () => {
      const sample = {
        'openvidu.secret': 'MY_SECRET', 'openvidu.cdr': false, 'openvidu.recording': true, 'openvidu.recording.public-access': false,
        'openvidu.recording.notification': 'publisher_moderator', 'openvidu.recording.path': path.join(conf.dataDir, 'live', 'recordings'),
        'openvidu.recording.custom-layout': '', 'openvidu.recording.autostop-timeout': 120, 'openvidu.streams.video.max-recv-bandwidth': 1000,
        'openvidu.streams.video.min-recv-bandwidth': 300, 'openvidu.streams.video.max-send-bandwidth': 1000, 'openvidu.streams.video.min-send-bandwidth': 300,
        'openvidu.pro.stats.monitoring-interval': 45, 'openvidu.pro.stats.webrtc-interval': 15,
      };
      const restarted = await api('POST', '/pro/restart', sample);
      expect(restarted.status, JSON.stringify(restarted.body)).to.equal(200);
      expect(restarted.body).to.include({ version: '2.32.1', openviduProStatsMonitoringInterval: 45, openviduProStatsWebrtcInterval: 15, openviduRecordingAutostopTimeout: 120 });
      expect(restarted.body).not.to.have.any.keys('OPENVIDU_CDR', 'openviduSecret');
      expect((await api('GET', '/pro/config')).status, 'the old secret no longer opens').to.equal(401);
      const withNewSecret = openviduApi(liveUrl, basic('OPENVIDUAPP', 'MY_SECRET'));
      expect((await withNewSecret('GET', '/pro/config')).body).to.include({ openviduProStatsMonitoringInterval: 45, openviduProStatsWebrtcInterval: 15 });
      expect((await new OpenVidu(liveUrl, 'MY_SECRET').createSession()).sessionId).to.be.a('string');
      expect((await withNewSecret('POST', '/pro/restart', { 'openvidu.secret': OPENVIDU_SECRET })).status).to.equal(200);
      expect((await api('POST', '/openvidu/api/restart', {})).body, 'the CE spelling keeps the CE form').to.include({ OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 120 });
      const saved = JSON.parse(await readFile(path.join(conf.dataDir, 'live', 'settings.json'), 'utf8'));
      expect(saved).to.include({ OPENVIDU_PRO_STATS_MONITORING_INTERVAL: 45, OPENVIDU_PRO_STATS_WEBRTC_INTERVAL: 15 });
      // back to the configuration the next test starts from
      await writeFile(path.join(conf.dataDir, 'live', 'settings.json'), '{}');
      await ws.stop();
      ws = await startProcess(conf, 'ws');
    });

    it('POST /pro/restart applies the new properties, persists them, and they survive a restart', async () => {
      const { status } = await api('POST', '/pro/restart', { 'openvidu.recording.autostop-timeout': 30, 'openvidu.streams.video.max-recv-bandwidth': 700, OPENVIDU_RECORDING_NOTIFICATION: 'all' });
      expect(status).to.equal(200);
      expect((await api('GET', '/openvidu/api/config')).body).to.include({ OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 30, OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 700, OPENVIDU_RECORDING_NOTIFICATION: 'all' });
      const saved = JSON.parse(await readFile(path.join(conf.dataDir, 'live', 'settings.json'), 'utf8'));
      expect(saved).to.deep.equal({ OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 30, OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 700, OPENVIDU_RECORDING_NOTIFICATION: 'all' });
      await ws.stop();
      ws = await startProcess(conf, 'ws');
      expect((await api('GET', '/openvidu/api/config')).body).to.include({ OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: 30, OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 700 });
      const { body } = await api('POST', '/openvidu/api/sessions', {});
      const connection = await api('POST', `/openvidu/api/sessions/${body.id}/connection`, {});
      expect(connection.body.kurentoOptions.videoMaxRecvBandwidth).to.equal(700);
    });
  });
});
