import { expect } from 'chai';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { openviduApi } from './openvidu.js';
import { waitFor } from './waitFor.js';

/**
 * A session with one IPCAM connection per camera URL, recorded until each track holds some media, stopped and closed;
 * answers the ready recording's id and the connections. `recordingsDir`: the media node's recording folder.
 */
export async function recordedSession(
  api: ReturnType<typeof openviduApi>,
  recordingsDir: string,
  cameraUrls: string[],
  sessionId: string,
  outputMode: 'COMPOSED' | 'INDIVIDUAL',
  sessionBody: Record<string, unknown> = {},
): Promise<{ id: string; connections: string[] }> {
  expect((await api('POST', '/openvidu/api/sessions', { customSessionId: sessionId, ...sessionBody })).status).to.equal(200);
  const connections: string[] = [];
  for (const [i, url] of cameraUrls.entries()) {
    const cam = await api('POST', `/openvidu/api/sessions/${sessionId}/connection`, { type: 'IPCAM', rtspUri: url, data: `camera-${i}` });
    expect(cam.status, JSON.stringify(cam.body)).to.equal(200);
    connections.push(cam.body.id);
  }
  const started = await api('POST', '/openvidu/api/recordings/start', { session: sessionId, outputMode, resolution: '640x360', frameRate: 25 });
  expect(started.status, JSON.stringify(started.body)).to.equal(200);
  const id = started.body.id as string;
  await waitFor(async () => {
    const dir = path.join(recordingsDir, id, outputMode === 'COMPOSED' ? '.tracks' : '');
    const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => /\.(webm|mkv)$/.test(name));
    const sizes = await Promise.all(files.map(async (name) => (await stat(path.join(dir, name))).size));
    return sizes.length === cameraUrls.length && sizes.every((size) => size > 60_000);
  }, 90_000, `recording ${id} to grow`);
  expect((await api('POST', `/openvidu/api/recordings/stop/${id}`)).status).to.equal(200);
  expect((await api('DELETE', `/openvidu/api/sessions/${sessionId}`)).status).to.equal(204);
  const ready = await waitFor(async () => {
    const got = await api('GET', `/openvidu/api/recordings/${id}`);
    return got.body.status === 'ready' || got.body.status === 'failed' ? got.body : undefined;
  }, 120_000, `recording ${id} to be ready`);
  expect(ready.status).to.equal('ready');
  return { id, connections };
}
