import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loopbackCamera } from './support/camera.js';
import { openviduApi, writeLiveConf } from './support/openvidu.js';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

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
