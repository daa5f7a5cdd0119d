import { expect } from 'chai';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { playPublished } from './support/hlsPlayback.js';
import { bearerFor, request } from './support/http.js';
import { openviduApi, writeLiveConf } from './support/openvidu.js';
import { join, launchMediaBrowser, openviduPageServer, participantPage, publish } from './support/openviduBrowser.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { wevClient } from './support/wev.js';

interface Video {
  id: string;
  title: string;
  state: number;
  duration: number;
  origin?: { source: string; recordingId?: string; exportId?: string; participants?: { clientData: string }[] };
}

const READY = 11;

/**
 * The three plugins as one platform, for one application: two participants in Chromium publish, the session is
 * recorded and closed, the recording becomes a video of the application's library and plays at two qualities, the
 * video is opened in the editor by its URL (from storage), trimmed and exported, and the export plays from the library.
 */
describe('flows end to end: a recorded session becomes a video, is trimmed in the editor, and its export is published', function () {
  this.timeout(600_000);
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof openviduPageServer>>;
  let auth: Record<string, string>;
  let openvidu: ReturnType<typeof openviduApi>;
  let wev: ReturnType<typeof wevClient>;

  const videos = async (): Promise<Video[]> => {
    const listed = await request(`${ws.url}/publish/videos?limit=100`, { headers: auth });
    expect(listed.status).to.equal(200);
    return listed.body.entities as Video[];
  };
  const readyVideo = (what: string, match: (video: Video) => boolean) =>
    waitFor(async () => {
      const video = (await videos()).find(match);
      return video && video.state === READY ? video : undefined;
    }, 300_000, what);

  before(async () => {
    conf = await makeConf({
      plugins: ['publish', 'live', 'editor'],
      server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] } },
      files: {
        'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }, { name: '144p', height: 144, videoBitrateKbps: 150 }], preset: 'ultrafast', segmentSeconds: 2, thumbnails: { count: 2, width: 160 } },
        'editorConf.json': { proxy: { preset: 'ultrafast' }, export: { preset: 'ultrafast', width: 640, height: 360 } },
      },
    });
    const liveUrl = await writeLiveConf(conf, { recording: { autostopTimeout: 1, publishToLibrary: 'COMPOSED' } });
    [app, ws, browser, pages] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws'), launchMediaBrowser(), openviduPageServer()]);
    const credentials = JSON.parse((await runServerJs(['--create-application', 'media team', '--scopes', 'live,publish,editor'], { conf })).stdout);
    auth = await bearerFor(ws.url, credentials.clientId, credentials.clientSecret);
    openvidu = openviduApi(liveUrl, auth.Authorization);
    wev = wevClient(`${ws.url}/editor`, credentials.clientId, credentials.clientSecret, 'python');
  });
  after(async () => {
    await browser?.close();
    await Promise.all([app?.stop(), ws?.stop(), pages?.close()]);
  });

  it('records two Chromium participants, publishes the recording, trims it in the editor and publishes the export', async () => {
    // Live: two participants publish, the session is recorded for a few seconds and closed.
    expect((await openvidu('POST', '/openvidu/api/sessions', { customSessionId: 'standup' })).status).to.equal(200);
    for (const name of ['ada', 'grace']) {
      const connection = await openvidu('POST', '/openvidu/api/sessions/standup/connection', { role: 'PUBLISHER', data: name });
      expect(connection.status, JSON.stringify(connection.body)).to.equal(200);
      const page = await participantPage(browser, pages.url);
      await join(page, connection.body.token as string, `${name}-client`);
      await publish(page);
    }
    const started = await openvidu('POST', '/openvidu/api/recordings/start', { session: 'standup', outputMode: 'COMPOSED', resolution: '640x360', frameRate: 25 });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
    const recordingId = started.body.id as string;
    const tracks = path.join(conf.dataDir, 'live', 'recordings', recordingId, '.tracks');
    await waitFor(async () => {
      const files = (await readdir(tracks).catch(() => [] as string[])).filter((name) => /\.(webm|mkv)$/.test(name));
      const sizes = await Promise.all(files.map(async (name) => (await stat(path.join(tracks, name))).size));
      return sizes.length === 2 && sizes.every((size) => size > 80_000);
    }, 120_000, 'both participants to be recorded');
    expect((await openvidu('DELETE', '/openvidu/api/sessions/standup')).status).to.equal(204);

    // VOD: the closed session's recording is a ready video of the application's library, playable at two qualities.
    const recorded = await readyVideo(`recording ${recordingId} to be a ready video`, (video) => video.origin?.recordingId === recordingId);
    expect(recorded.origin!.participants!.map((p) => p.clientData)).to.have.members(['ada-client', 'grace-client']);
    expect(await playPublished(app.url, recorded.id)).to.have.members(['426x240', '256x144']);

    // Editor: the video is imported by its URL, trimmed to two seconds and exported back into the library.
    const me = (await wev('GET', '/api/3/me')).body as { userId: number };
    const imported = await wev('POST', '/api/4/files/import', { body: { urls: [{ url: `${app.url}/publish/v/${recorded.id}`, title: 'Standup' }], userId: me.userId } });
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    const ticket = imported.body.tickets[0] as string;
    const status = await waitFor(async () => {
      const got = (await wev('GET', `/api/4/files/status/${ticket}`)).body[ticket];
      return got && got.status !== 'TICKET_REGISTERED' ? got : undefined;
    }, 180_000, 'the video to be imported into the editor');
    expect(status.status, JSON.stringify(status)).to.equal('COMPLETED');
    const timeline = await wev('POST', '/api/4/timelines', { body: { title: 'Standup highlights', userId: me.userId, tracks: [{ type: 'video', clips: [{ fileId: status.fileId, in: 1000, out: 3000 }] }] } });
    expect(timeline.status, JSON.stringify(timeline.body)).to.equal(200);
    const exportStarted = await wev('POST', `/api/4/timelines/${timeline.body.timelineId}/export`, { body: { publishToLibrary: true } });
    expect(exportStarted.status, JSON.stringify(exportStarted.body)).to.equal(200);
    const exportId = exportStarted.body.exportId as string;
    const exported = await waitFor(async () => {
      const got = (await wev('GET', `/api/4/exports/${exportId}`)).body;
      return got.status === 'COMPLETED' || got.status === 'FAILED' ? got : undefined;
    }, 240_000, `export ${exportId}`);
    expect(exported.status, JSON.stringify(exported)).to.equal('COMPLETED');

    // VOD again: the export is a video of the same library, titled as the timeline, two seconds long, playable.
    const published = await readyVideo(`export ${exportId} to be a ready video`, (video) => video.origin?.exportId === exportId);
    expect(published.title).to.equal('Standup highlights');
    expect(await playPublished(app.url, published.id)).to.have.members(['426x240', '256x144']);
    expect(published.duration, 'the trimmed length').to.be.closeTo(2, 0.5);
    expect(recorded.duration, 'the recording\'s length').to.be.greaterThan(3);
  });
});
