import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loopbackCamera } from '../test/support/camera.js';
import { bareTranscode } from './bareTranscode.js';
import { bearerToken, startPlatform, type Defer } from './platformFixture.js';
import { freePort } from './processes.js';
import { poll } from './poll.js';
import { publishConf } from './publishConf.js';
import type { Row } from './row.js';

const SECRET = 'bench-live-secret';
const RECORDED_MS = 15_000;

/**
 * Live → VOD: from the moment a COMPOSED recording (an IP camera, 15 s at 1280x720) is ready to the moment its video in
 * the publish library is ready to play (hand-over job, ingest, the full transcode job), against bare ffmpeg doing the
 * transcode job's work on the same recording file. What ours adds is the hand-over, the queue and the bookkeeping.
 */
export async function liveToLibraryBench(defer: Defer): Promise<Row[]> {
  const livePort = await freePort();
  const liveUrl = `http://127.0.0.1:${livePort}`;
  const camera = await loopbackCamera(60);
  defer(() => camera.close());
  const platform = await startPlatform(defer, {
    plugins: ['publish', 'live'],
    scopes: ['publish', 'live'],
    backOffice: true,
    server: { outbound: { allowedNetworks: ['127.0.0.1/32'] } },
    confFiles: {
      'publishConf.json': publishConf,
      'liveConf.json': { port: livePort, host: '127.0.0.1', secret: SECRET, publicUrl: liveUrl, engine: 'werift', recording: { autostopTimeout: 1, publishToLibrary: 'COMPOSED' } },
    },
  });
  const token = await bearerToken(platform);
  const call = async (method: string, route: string, body?: unknown, base = liveUrl) => {
    const response = await fetch(`${base}${route}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  await call('POST', '/openvidu/api/sessions', { customSessionId: 'bench' });
  await call('POST', '/openvidu/api/sessions/bench/connection', { type: 'IPCAM', rtspUri: camera.url });
  const { id } = await call('POST', '/openvidu/api/recordings/start', { session: 'bench', outputMode: 'COMPOSED', resolution: '1280x720', frameRate: 25 });
  process.stderr.write(`live to library bench: recording ${RECORDED_MS / 1000} s…\n`);
  await new Promise((resolve) => setTimeout(resolve, RECORDED_MS));
  await call('POST', `/openvidu/api/recordings/stop/${id}`);
  await call('DELETE', '/openvidu/api/sessions/bench');
  const recording = await poll(async () => {
    const got = await call('GET', `/openvidu/api/recordings/${id}`);
    if (got.status === 'failed') throw new Error(`the recording failed: ${JSON.stringify(got)}`);
    return got.status === 'ready' ? got : undefined;
  }, 'the recording to be ready');
  const readyAt = performance.now();
  await poll(async () => {
    const { entities } = await call('GET', '/publish/videos?limit=100', undefined, platform.url);
    const video = (entities as { state: number; origin?: { recordingId: string } }[]).find((v) => v.origin?.recordingId === id);
    if (video?.state === 0) throw new Error('the video failed');
    return video?.state === 11 ? video : undefined;
  }, 'the recording to be a playable video');
  const ours = (performance.now() - readyAt) / 1000;

  const work = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-live-'));
  defer(() => rm(work, { recursive: true, force: true }));
  const source = path.join(work, 'recording.mp4');
  const download = await fetch(recording.url, { headers: { authorization: `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}` } });
  if (!download.ok) throw new Error(`the recording's file answered ${download.status}`);
  await writeFile(source, Buffer.from(await download.arrayBuffer()));
  process.stderr.write('live to library bench: bare ffmpeg on the same file…\n');
  const started = performance.now();
  await bareTranscode(source, path.join(work, 'bare'), new AbortController().signal);
  const baseline = (performance.now() - started) / 1000;
  return [{ name: 'live recording ready → playable video (s)', unit: 's', ours, baseline, digits: 2 }];
}
