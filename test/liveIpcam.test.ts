import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConnectionType, OpenVidu, Recording } from 'openvidu-node-client';
import { loopbackCamera } from './support/camera.js';
import { testRoot } from './support/globalDatabase.js';
import { basic } from './support/http.js';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { rtspCamera, type RtspCamera } from './support/rtspCamera.js';
import { waitFor } from './support/waitFor.js';

const exec = promisify(execFile);

const UNREADABLE = 'The IP camera could not be read';

/** IPCAM rtspUri goes through the platform's outbound filter before ffmpeg is started (no SSRF, no port scan). */
describe('live: IPCAM cameras and the outbound filter', function () {
  this.timeout(90_000);

  describe('without internal networks allowed (the default)', () => {
    let ws: RunningProcess;
    let api: ReturnType<typeof openviduApi>;
    let internal: http.Server;
    let internalHits = 0;
    let internalPort: number;
    let camera: Awaited<ReturnType<typeof loopbackCamera>>;

    before(async () => {
      internal = http.createServer((_req, res) => {
        internalHits += 1;
        res.end('internal secret');
      });
      await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
      internalPort = (internal.address() as AddressInfo).port;
      camera = await loopbackCamera(20);
      const conf = await makeConf();
      const liveUrl = await writeLiveConf(conf);
      ws = await startProcess(conf, 'ws');
      api = openviduApi(liveUrl);
      expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'cams' })).status).to.equal(200);
    });
    after(async () => {
      await ws?.stop();
      await camera?.close();
      internal?.closeAllConnections();
      await new Promise<void>((resolve) => internal?.close(() => resolve()));
    });

    it('refuses loopback, private and link-local cameras with one error text, whether the port is open or closed', async () => {
      const uris = [
        camera.url,
        `http://127.0.0.1:${internalPort}/admin`,
        `http://localhost:${internalPort}/admin`,
        'rtsp://127.0.0.1:1/closed',
        `rtsp://[::1]:${internalPort}/feed`,
        'http://169.254.169.254/latest/meta-data/',
        'rtsps://10.0.0.1/feed',
      ];
      for (const rtspUri of uris) {
        const { status, body } = await api('POST', '/openvidu/api/sessions/cams/connection', { type: 'IPCAM', rtspUri });
        expect(status, rtspUri).to.equal(500);
        expect(body.message, rtspUri).to.equal(UNREADABLE);
      }
      expect(internalHits, 'nothing reached the internal server').to.equal(0);
      expect((await api('GET', '/openvidu/api/sessions/cams/connection')).body.numberOfElements).to.equal(0);
    });

    it('still answers 400 to a scheme that is not a camera\'s', async () => {
      for (const rtspUri of ['file:///etc/passwd', 'gopher://127.0.0.1/x', 'concat:http://a|http://b']) {
        expect((await api('POST', '/openvidu/api/sessions/cams/connection', { type: 'IPCAM', rtspUri })).status, rtspUri).to.equal(400);
      }
    });
  });

  describe('with the loopback network allowed by the operator', () => {
    let ws: RunningProcess;
    let conf: TestConf;
    let api: ReturnType<typeof openviduApi>;
    let camera: Awaited<ReturnType<typeof loopbackCamera>>;

    before(async () => {
      camera = await loopbackCamera(20);
      conf = await makeConf({ server: { outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
      const liveUrl = await writeLiveConf(conf);
      ws = await startProcess(conf, 'ws');
      api = openviduApi(liveUrl);
      expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'cams' })).status).to.equal(200);
    });
    after(async () => {
      await ws?.stop();
      await camera?.close();
    });

    it('publishes a loopback camera, and a closed port gets the same single error text', async () => {
      const { status, body } = await api('POST', '/openvidu/api/sessions/cams/connection', { type: 'IPCAM', rtspUri: camera.url });
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ type: 'IPCAM', status: 'active', rtspUri: camera.url });
      expect(body.publishers).to.have.length(1);
      const closed = await api('POST', '/openvidu/api/sessions/cams/connection', { type: 'IPCAM', rtspUri: 'rtsp://127.0.0.1:1/closed' });
      expect(closed.status).to.equal(500);
      expect(closed.body.message).to.equal(UNREADABLE);
    });

    it('logs why an unreachable camera could not be read (never an empty error), without its credentials', async () => {
      const closed = await api('POST', '/openvidu/api/sessions/cams/connection', { type: 'IPCAM', rtspUri: 'rtsp://cam-user:cam-password@127.0.0.1:1/unreachable' });
      expect(closed.status).to.equal(500);
      const log = await waitFor(async () => {
        const text = await readFile(path.join(conf.logDir, 'ws.log'), 'utf8').catch(() => '');
        return text.includes('/unreachable') ? text : undefined;
      }, 10_000, 'the camera failure in the log');
      const lines = log.split('\n').filter((line) => line.includes('/unreachable'));
      expect(lines.join('\n')).to.match(/ECONNREFUSED|Connection refused/i);
      expect(log).not.to.contain('cam-password');
      expect(log).not.to.match(/"error":\{\}|error: \{\}/);
    });
  });
});

/** An IPCAM connection reads a real RTSP server, and pulls the camera again by itself when it drops and comes back. */
describe('live: IPCAM against a real RTSP server', function () {
  this.timeout(180_000);
  let ws: RunningProcess;
  let conf: TestConf;
  let camera: RtspCamera;
  let ov: OpenVidu;
  const wsLog = () => readFile(path.join(conf.logDir, 'ws.log'), 'utf8').catch(() => '');

  before(async () => {
    camera = await rtspCamera();
    // The recording is finished by a job: run in the web service, the only process this test starts.
    conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
    const liveUrl = await writeLiveConf(conf);
    ws = await startProcess(conf, 'ws');
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
  });
  after(async () => {
    await ws?.stop();
    await camera?.close();
  });

  it('records the camera before it drops and after it comes back 14 s later, on one stream the connection keeps', async () => {
    const session = await ov.createSession({ customSessionId: 'rtspcam' });
    const connection = await session.createConnection({ type: ConnectionType.IPCAM, rtspUri: camera.url });
    expect(connection).to.include({ status: 'active', platform: 'IPCAM' });
    expect(connection.connectionProperties).to.include({ type: 'IPCAM', rtspUri: camera.url });
    const streamId = connection.publishers[0]!.streamId;
    const recording = await ov.startRecording('rtspcam', { outputMode: Recording.OutputMode.INDIVIDUAL, name: 'cam' });
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const droppedAt = (Date.now() - startedAt) / 1000;
    await camera.stop();
    const reconnecting = await waitFor(async () => (await wsLog()).split('\n').find((line) => line.includes('IP camera dropped, reconnecting')), 20_000, 'the drop in the log');
    expect(reconnecting, 'the drop is logged with its cause').to.match(/"cause":"no video from the camera for \d+ ms"/);
    // Away longer than ffmpeg waits on a silent RTP input (10 s): the recorder keeps its input open meanwhile.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + droppedAt * 1000 + 14_000 - Date.now())));
    await camera.start();
    const restartedAt = (Date.now() - startedAt) / 1000;
    await waitFor(async () => (await wsLog()).includes('IP camera reconnected'), 60_000, 'the camera to be pulled again');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await session.fetch();
    const kept = session.activeConnections.find((c) => c.connectionId === connection.connectionId);
    expect(kept?.publishers.map((p) => p.streamId), 'the stream outlived the drop').to.deep.equal([streamId]);
    await ov.stopRecording(recording.id);
    const done = await waitFor(async () => {
      const r = await ov.getRecording(recording.id);
      return r.status === 'ready' || r.status === 'failed' ? r : undefined;
    }, 90_000, 'the recording to be ready');
    expect(done.status).to.equal('ready');
    const work = await mkdtemp(path.join(testRoot(), 'rtspcam-'));
    const zip = path.join(work, 'cam.zip');
    const response = await fetch(done.url, { headers: { Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) } });
    await writeFile(zip, Buffer.from(await response.arrayBuffer()));
    await exec('unzip', ['-q', zip, '-d', work]);
    const { stdout } = await exec('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', path.join(work, `${streamId}.webm`)]);
    const times = stdout.split('\n').map(Number).filter((t) => t > 0);
    expect(times.filter((t) => t < droppedAt - 1).length, 'frames before the drop').to.be.greaterThan(25);
    expect(times.filter((t) => t > restartedAt + 1).length, 'frames after the camera came back').to.be.greaterThan(25);
  });

  it('ends the connection when the camera does not come back, logging why', async () => {
    const session = await ov.createSession({ customSessionId: 'lostcam' });
    const connection = await session.createConnection({ type: ConnectionType.IPCAM, rtspUri: camera.url });
    await camera.stop();
    // The first test's connection reads the same camera, and is given up too: this one's line is looked for.
    const lost = await waitFor(async () => (await wsLog()).split('\n').find((line) => line.includes('IP camera lost') && line.includes(connection.connectionId)), 90_000, 'the camera to be given up');
    expect(lost).to.match(/"attempts":10/).and.match(/404 Not Found/);
    // Its only connection gone, the session closes as OpenVidu's do when the last participant leaves.
    await ov.fetch();
    const left = ov.activeSessions.find((s) => s.sessionId === 'lostcam');
    expect(left?.activeConnections.map((c) => c.connectionId) ?? []).not.to.include(connection.connectionId);
    await camera.start();
  });
});
