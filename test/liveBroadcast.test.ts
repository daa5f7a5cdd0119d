import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OpenVidu } from 'openvidu-node-client';
import { loopbackCamera } from './support/camera.js';
import { ffprobe } from './support/ffprobe.js';
import { javaClientCheck } from './support/javaClient.js';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, startProcess, type RunningProcess } from './support/platform.js';
import { startRtmpServer } from './support/rtmpServer.js';

const exec = promisify(execFile);

/** Broadcast to RTMP through openvidu-node-client and openvidu-java-client, proven against node-media-server: the stream is pulled back from it and its frames decoded. */
describe('live: broadcast to an RTMP server', function () {
  this.timeout(180_000);
  let ws: RunningProcess;
  let api: ReturnType<typeof openviduApi>;
  let ov: OpenVidu;
  let camera: Awaited<ReturnType<typeof loopbackCamera>>;
  let rtmp: Awaited<ReturnType<typeof startRtmpServer>>;
  let rtmpUrl: string;
  let liveUrl: string;

  before(async () => {
    rtmp = await startRtmpServer();
    rtmpUrl = rtmp.url('mediahost');
    camera = await loopbackCamera(120);
    const conf = await makeConf({ server: { outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
    liveUrl = await writeLiveConf(conf);
    ws = await startProcess(conf, 'ws');
    api = openviduApi(liveUrl);
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
    expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'onair' })).status).to.equal(200);
    expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'empty' })).status).to.equal(200);
  });
  after(async () => {
    await ws?.stop();
    await camera?.close();
    rtmp?.stop();
  });

  it('answers OpenVidu\'s errors: 400 bad body, 404 unknown session, 406 nobody connected, 422 out of range, 409 stop when not broadcasting', async () => {
    for (const body of [{}, { session: 'onair' }, { session: 'onair', broadcastUrl: 'http://127.0.0.1/x' }, { session: 'onair', broadcastUrl: rtmpUrl, hasAudio: 'yes' }]) {
      expect((await api('POST', '/openvidu/api/broadcast/start', body)).status, JSON.stringify(body)).to.equal(400);
    }
    expect((await api('POST', '/openvidu/api/broadcast/start', { session: 'nope', broadcastUrl: rtmpUrl })).status).to.equal(404);
    expect((await api('POST', '/openvidu/api/broadcast/start', { session: 'empty', broadcastUrl: rtmpUrl })).status).to.equal(406);
    for (const body of [{ resolution: '50x50' }, { frameRate: 0 }, { hasAudio: false, hasVideo: false }]) {
      expect((await api('POST', '/openvidu/api/broadcast/start', { session: 'onair', broadcastUrl: rtmpUrl, ...body })).status, JSON.stringify(body)).to.equal(422);
    }
    expect((await api('POST', '/openvidu/api/broadcast/stop', {})).status).to.equal(400);
    expect((await api('POST', '/openvidu/api/broadcast/stop', { session: 'nope' })).status).to.equal(404);
    expect((await api('POST', '/openvidu/api/broadcast/stop', { session: 'onair' })).status).to.equal(409);
  });

  it('broadcasts an IP camera with openvidu-node-client; the stream pulled back from the RTMP server decodes at the asked resolution; 409 to a second start; stops', async () => {
    const camConnection = await api('POST', '/openvidu/api/sessions/onair/connection', { type: 'IPCAM', rtspUri: camera.url });
    expect(camConnection.status, JSON.stringify(camConnection.body)).to.equal(200);
    await ov.fetch();
    await ov.startBroadcast('onair', rtmpUrl, { resolution: '640x360', frameRate: 25 } as never);
    expect((await api('GET', '/openvidu/api/sessions/onair')).body.broadcasting).to.equal(true);
    expect((await api('POST', '/openvidu/api/broadcast/start', { session: 'onair', broadcastUrl: rtmpUrl })).status).to.equal(409);
    const probe = await ffprobe(rtmpUrl);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    expect(video).to.include({ codec_name: 'h264', width: 640, height: 360 });
    const { stderr } = await exec('ffmpeg', ['-v', 'error', '-stats', '-rw_timeout', '10000000', '-i', rtmpUrl, '-frames:v', '50', '-f', 'null', '-'], { timeout: 60_000 });
    const frames = Number(/frame=\s*(\d+)/.exec(stderr.split('\r').filter((l) => l.includes('frame=')).pop() ?? '')?.[1]);
    expect(frames, stderr.slice(-500)).to.equal(50);
    await ov.stopBroadcast('onair');
    expect((await api('GET', '/openvidu/api/sessions/onair')).body.broadcasting).to.equal(false);
    expect((await api('POST', '/openvidu/api/broadcast/stop', { session: 'onair' })).status).to.equal(409);
  });

  it('broadcasts with openvidu-java-client (startBroadcast, isBeingBroadcasted, stopBroadcast, 409s); the stream pulled back decodes', async () => {
    const javaRtmpUrl = rtmpUrl.replace(/mediahost$/, 'java');
    expect(await javaClientCheck(['broadcast-start', liveUrl, OPENVIDU_SECRET, camera.url, javaRtmpUrl])).to.deep.equal({ session: 'java-broadcast' });
    const { stderr } = await exec('ffmpeg', ['-v', 'error', '-stats', '-rw_timeout', '10000000', '-i', javaRtmpUrl, '-frames:v', '50', '-f', 'null', '-'], { timeout: 60_000 });
    expect(Number(/frame=\s*(\d+)/.exec(stderr.split('\r').filter((l) => l.includes('frame=')).pop() ?? '')?.[1]), stderr.slice(-500)).to.equal(50);
    expect(await javaClientCheck(['broadcast-stop', liveUrl, OPENVIDU_SECRET, 'java-broadcast'])).to.deep.equal({ stopped: true });
  });
});
