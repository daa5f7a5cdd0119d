import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConnectionType, OpenVidu } from 'openvidu-node-client';
import { loopbackCamera } from './support/camera.js';
import { testRoot } from './support/globalDatabase.js';
import { basic } from './support/http.js';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { startRtmpServer } from './support/rtmpServer.js';
import { makeConf, startProcess, type RunningProcess } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

const exec = promisify(execFile);
const WIDTH = 640;
const HEIGHT = 480;
const COLORS = ['red', 'green', 'blue'] as const;

/** Where each layout puts the first, second and third published video on a 640x480 canvas: a point inside each. */
const EXPECTED: Record<string, { x: number; y: number }[]> = {
  // The first on the whole canvas; the others inset along its bottom right corner.
  PICTURE_IN_PICTURE: [{ x: 200, y: 150 }, { x: 548, y: 408 }, { x: 376, y: 408 }],
  // The first on top (80 % of the height); the others in a row below it.
  VERTICAL_PRESENTATION: [{ x: 320, y: 192 }, { x: 160, y: 432 }, { x: 480, y: 432 }],
  // The first on the left (80 % of the width); the others in a column on its right.
  HORIZONTAL_PRESENTATION: [{ x: 256, y: 240 }, { x: 576, y: 120 }, { x: 576, y: 360 }],
};

/** The dominant channel of a pixel of an RGB frame, or 'black'/'mixed'. */
function colorAt(frame: Buffer, { x, y }: { x: number; y: number }): string {
  const offset = (y * WIDTH + x) * 3;
  const [r, g, b] = [frame[offset]!, frame[offset + 1]!, frame[offset + 2]!];
  if (Math.max(r, g, b) < 60) return 'black';
  if (r > 150 && g < 90 && b < 90) return 'red';
  if (g > 90 && r < 90 && b < 90) return 'green';
  if (b > 150 && r < 90 && g < 90) return 'blue';
  return `mixed(${r},${g},${b})`;
}

/** The colors at the layout's points of one decoded 640x480 frame. */
function colorsOf(frame: Buffer, points: { x: number; y: number }[]): string {
  expect(frame.length).to.equal(WIDTH * HEIGHT * 3);
  return points.map((point) => colorAt(frame, point)).join(',');
}

/** `count` decoded 640x480 frames of an RTMP stream, five a second, pulled from the server. */
async function pullFrames(url: string, count: number): Promise<Buffer[]> {
  const size = WIDTH * HEIGHT * 3;
  const args = ['-v', 'error', '-rw_timeout', '10000000', '-i', url, '-vf', 'fps=5', '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const raw = (await exec('ffmpeg', args, { encoding: 'buffer', maxBuffer: (count + 1) * size, timeout: 60_000 })).stdout;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => raw.subarray(i * size, (i + 1) * size));
}

/**
 * COMPOSED layouts beyond BEST_FIT, checked on the recorded frames and on a broadcast pulled back from a real RTMP
 * server: three single-color cameras, each where its layout puts it.
 */
describe('live: COMPOSED recording and broadcast layouts', function () {
  this.timeout(300_000);
  let ws: RunningProcess;
  let ov: OpenVidu;
  let api: ReturnType<typeof openviduApi>;
  const cameras: Awaited<ReturnType<typeof loopbackCamera>>[] = [];

  before(async () => {
    for (const color of COLORS) cameras.push(await loopbackCamera(240, color));
    const conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
    const liveUrl = await writeLiveConf(conf);
    ws = await startProcess(conf, 'ws');
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
    api = openviduApi(liveUrl);
    const session = await ov.createSession({ customSessionId: 'layouts' });
    // Published in this order: red first (the presenter), then green, then blue.
    for (const camera of cameras) await session.createConnection({ type: ConnectionType.IPCAM, rtspUri: camera.url });
  });
  after(async () => {
    await ws?.stop();
    for (const camera of cameras) await camera.close();
  });

  for (const [layout, points] of Object.entries(EXPECTED)) {
    it(`${layout}: each participant's video is where the layout puts it`, async () => {
      const started = await api('POST', '/openvidu/api/recordings/start', { session: 'layouts', outputMode: 'COMPOSED', recordingLayout: layout, resolution: `${WIDTH}x${HEIGHT}`, frameRate: 15, name: layout });
      expect(started.status, JSON.stringify(started.body)).to.equal(200);
      expect(started.body.recordingLayout).to.equal(layout);
      const recording = await ov.getRecording(started.body.id);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await ov.stopRecording(recording.id);
      const done = await waitFor(async () => {
        const r = await ov.getRecording(recording.id);
        return r.status === 'ready' || r.status === 'failed' ? r : undefined;
      }, 120_000, `recording ${recording.id} to be ready`);
      expect(done.status).to.equal('ready');
      const file = path.join(await mkdtemp(path.join(testRoot(), 'layout-')), `${layout}.mp4`);
      const response = await fetch(done.url, { headers: { Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) } });
      await writeFile(file, Buffer.from(await response.arrayBuffer()));
      // Every second of the file: the cameras join the composition at their recorders' start, a little after 0.
      const seconds = Math.floor(Number((await exec('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])).stdout));
      const seen: string[] = [];
      for (let t = 1; t < seconds; t++) {
        const frame = (await exec('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 4 * WIDTH * HEIGHT })).stdout;
        seen.push(colorsOf(frame, points));
      }
      expect(seen, 'a frame with each participant where the layout puts it').to.include(COLORS.join(','));
    });
  }

  it('PICTURE_IN_PICTURE broadcast: the frames pulled back from the RTMP server have each participant where the layout puts it', async () => {
    const rtmp = await startRtmpServer();
    try {
      const url = rtmp.url('layouts');
      const started = await api('POST', '/openvidu/api/broadcast/start', { session: 'layouts', broadcastUrl: url, recordingLayout: 'PICTURE_IN_PICTURE', resolution: `${WIDTH}x${HEIGHT}`, frameRate: 15 });
      expect(started.status, JSON.stringify(started.body)).to.equal(200);
      // Frames a little apart, straight from the RTMP server: the cameras join the composition a moment after it starts.
      const seen = (await pullFrames(url, 20)).map((frame) => colorsOf(frame, EXPECTED.PICTURE_IN_PICTURE!));
      expect(seen, 'a broadcast frame with each participant where the layout puts it').to.include(COLORS.join(','));
      expect((await api('POST', '/openvidu/api/broadcast/stop', { session: 'layouts' })).status).to.equal(200);
    } finally {
      rtmp.stop();
    }
  });

  it('a broadcast shows a stream published after it started', async () => {
    const rtmp = await startRtmpServer();
    try {
      const url = rtmp.url('late');
      const session = await ov.createSession({ customSessionId: 'late' });
      await session.createConnection({ type: ConnectionType.IPCAM, rtspUri: cameras[0]!.url });
      // A camera just connected may not have sent its first key frame yet.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const started = await api('POST', '/openvidu/api/broadcast/start', { session: 'late', broadcastUrl: url, recordingLayout: 'PICTURE_IN_PICTURE', resolution: `${WIDTH}x${HEIGHT}`, frameRate: 15 });
      expect(started.status, JSON.stringify(started.body)).to.equal(200);
      await session.createConnection({ type: ConnectionType.IPCAM, rtspUri: cameras[1]!.url });
      // The broadcast restarts with both cameras: a pull cut by that restart is tried again.
      const seen = await waitFor(async () => {
        const pulled = await pullFrames(url, 10).catch(() => []);
        const colors = pulled.map((frame) => colorsOf(frame, EXPECTED.PICTURE_IN_PICTURE!.slice(0, 2)));
        return colors.includes('red,green') ? colors : undefined;
      }, 90_000, 'the late camera in the broadcast');
      expect(seen).to.include('red,green');
      expect((await api('POST', '/openvidu/api/broadcast/stop', { session: 'late' })).status).to.equal(200);
      await session.close();
    } finally {
      rtmp.stop();
    }
  });

  it('CUSTOM is refused with 501 for a COMPOSED recording and a broadcast (not rendered here)', async () => {
    const recording = await api('POST', '/openvidu/api/recordings/start', { session: 'layouts', outputMode: 'COMPOSED', recordingLayout: 'CUSTOM', customLayout: 'mine/index.html' });
    expect(recording.status).to.equal(501);
    expect(recording.body).to.include({ status: 501, path: '/openvidu/api/recordings/start' });
    expect(recording.body.message).to.match(/CUSTOM recording layout is not supported/);
    const broadcast = await api('POST', '/openvidu/api/broadcast/start', { session: 'layouts', broadcastUrl: 'rtmp://127.0.0.1:1/live/x', recordingLayout: 'CUSTOM' });
    expect(broadcast.status).to.equal(501);
    expect((await api('GET', '/openvidu/api/recordings')).body.items.filter((r: { status: string }) => r.status === 'started')).to.have.length(0);
  });
});
