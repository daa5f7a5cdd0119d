import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { OpenVidu, OpenViduRole, Recording, RecordingMode, type Session } from 'openvidu-node-client';
import type { Browser, Page } from 'playwright-core';
import { testRoot } from './support/globalDatabase.js';
import { ffprobe } from './support/ffprobe.js';
import { basic } from './support/http.js';
import { openviduApi, OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { framesDecoded, join, launchMediaBrowser, openviduPageServer, participantPage, publish, subscribeFirstStream } from './support/openviduBrowser.js';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { webhookReceiver } from './support/webhookReceiver.js';

const exec = promisify(execFile);

/** The same recordings on each media engine (mediasoup's worker comes from the test prerequisites). */
for (const engine of ['werift', 'mediasoup'] as const) describe(`live: recording (CE behaviour) of openvidu-browser streams (${engine} engine)`, function () {
  this.timeout(180_000);
  let conf: TestConf;
  let ws: RunningProcess;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof openviduPageServer>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let ov: OpenVidu;
  let api: ReturnType<typeof openviduApi>;
  let liveUrl: string;
  let session: Session;
  let publisherPage: Page;
  let subscriberPage: Page;
  let streamId: string;
  const recordingsDir = () => path.join(conf.dataDir, 'live', 'recordings');

  /** Waits until the recording's files below its folder hold at least `bytes`. */
  const recorded = (id: string, bytes: number) =>
    waitFor(async () => {
      const dir = path.join(recordingsDir(), id);
      const names = [...(await readdir(dir).catch(() => [] as string[])), ...(await readdir(path.join(dir, '.tracks')).catch(() => [] as string[])).map((n) => `.tracks/${n}`)];
      let total = 0;
      for (const name of names.filter((n) => /\.(webm|mkv)$/.test(n))) total += (await stat(path.join(dir, name))).size;
      return total >= bytes ? total : undefined;
    }, 60_000, `${bytes} bytes recorded for ${id}`);

  const ready = (id: string) =>
    waitFor(async () => {
      const recording = await ov.getRecording(id);
      return recording.status === 'ready' || recording.status === 'failed' ? recording : undefined;
    }, 90_000, `recording ${id} to be ready`);

  const download = async (url: string, to: string) => {
    const response = await fetch(url, { headers: { Authorization: basic('OPENVIDUAPP', OPENVIDU_SECRET) } });
    expect(response.status).to.equal(200);
    await writeFile(to, Buffer.from(await response.arrayBuffer()));
    return to;
  };

  before(async () => {
    hooks = await webhookReceiver();
    conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'], webhookRetryDelayMs: 500 } } });
    liveUrl = await writeLiveConf(conf, { engine, webhook: { enabled: true, endpoint: hooks.url, events: ['recordingStatusChanged'] }, recording: { autostopTimeout: 1 } });
    [ws, browser, pages] = await Promise.all([startProcess(conf, 'ws'), launchMediaBrowser(), openviduPageServer()]);
    ov = new OpenVidu(liveUrl, OPENVIDU_SECRET);
    api = openviduApi(liveUrl);
    session = await ov.createSession({ customSessionId: 'recorded' });
    publisherPage = await participantPage(browser, pages.url);
    await join(publisherPage, (await session.createConnection({ role: OpenViduRole.MODERATOR, data: 'speaker' })).token, 'speaker-client');
    await publisherPage.evaluate(() => {
      const w = window as any;
      for (const name of ['recordingStarted', 'recordingStopped']) w.t.session.on(name, (e: any) => w.t.events.push({ type: name, id: e.id, reason: e.reason }));
    });
    streamId = await publish(publisherPage);
    subscriberPage = await participantPage(browser, pages.url);
    await join(subscriberPage, (await session.createConnection({ role: OpenViduRole.SUBSCRIBER })).token, 'watcher');
  });
  after(async () => {
    await browser?.close();
    await ws?.stop();
    await pages?.close();
    await hooks?.close();
  });

  describe('error statuses', () => {
    it('start: 400 without session, 422 out-of-range properties, 404 unknown session, 406 nobody connected', async () => {
      expect((await api('POST', '/openvidu/api/recordings/start', {})).status).to.equal(400);
      expect((await api('POST', '/openvidu/api/recordings/start', { session: 'recorded', outputMode: 'SPLIT' })).status).to.equal(400);
      for (const body of [{ resolution: '2000x720' }, { resolution: 'big' }, { frameRate: 0 }, { frameRate: 121 }, { shmSize: 1000 }, { hasAudio: false, hasVideo: false }]) {
        expect((await api('POST', '/openvidu/api/recordings/start', { session: 'recorded', ...body })).status, JSON.stringify(body)).to.equal(422);
      }
      expect((await api('POST', '/openvidu/api/recordings/start', { session: 'nope' })).status).to.equal(404);
      expect((await api('POST', '/openvidu/api/sessions', { customSessionId: 'empty' })).status).to.equal(200);
      expect((await api('POST', '/openvidu/api/recordings/start', { session: 'empty' })).status).to.equal(406);
    });

    it('stop, get, delete: 404 for an unknown recording', async () => {
      expect((await api('POST', '/openvidu/api/recordings/stop/nope')).status).to.equal(404);
      expect((await api('GET', '/openvidu/api/recordings/nope')).status).to.equal(404);
      expect((await api('DELETE', '/openvidu/api/recordings/nope')).status).to.equal(404);
    });

    it('501 on every recording route while the recording module is disabled', async () => {
      expect((await api('POST', '/pro/restart', { OPENVIDU_RECORDING: false })).status).to.equal(200);
      expect((await api('POST', '/openvidu/api/recordings/start', { session: 'recorded' })).status).to.equal(501);
      expect((await api('POST', '/openvidu/api/recordings/stop/recorded')).status).to.equal(501);
      expect((await api('GET', '/openvidu/api/recordings/recorded')).status).to.equal(501);
      expect((await api('GET', '/openvidu/api/recordings')).status).to.equal(501);
      expect((await api('DELETE', '/openvidu/api/recordings/recorded')).status).to.equal(501);
      expect((await api('POST', '/pro/restart', { OPENVIDU_RECORDING: true })).status).to.equal(200);
    });
  });

  describe('INDIVIDUAL', () => {
    let recording: Recording;
    let recordingStartedAt = 0;

    it('starts with openvidu-node-client, answers 406 to a stop while starting and 409 to a second start', async () => {
      recordingStartedAt = Date.now();
      const starting = ov.startRecording('recorded', { outputMode: Recording.OutputMode.INDIVIDUAL, name: 'individual' });
      const early = await waitFor(async () => {
        const response = await api('POST', '/openvidu/api/recordings/stop/recorded');
        return response.status === 404 ? undefined : response;
      }, 20_000, 'the recording to exist');
      recording = await starting;
      expect(early.status, 'stop while starting').to.equal(406);
      expect(recording.id).to.equal('recorded');
      expect(recording.status).to.equal('started');
      expect(recording.properties.outputMode).to.equal('INDIVIDUAL');
      expect((await api('POST', '/openvidu/api/recordings/start', { session: 'recorded' })).status).to.equal(409);
      expect((await api('GET', '/openvidu/api/sessions/recorded')).body.recording).to.equal(true);
      const started = await waitFor(() => publisherPage.evaluate(() => (window as any).t.events.find((e: any) => e.type === 'recordingStarted')), 10_000, 'recordingStarted in the browser');
      expect(started.id).to.equal('recorded');
    });

    it('lets a second client subscribe and decode frames while the session is recorded', async () => {
      await subscribeFirstStream(subscriberPage);
      await waitFor(async () => (await framesDecoded(subscriberPage)) > 20, 40_000, 'frames at the subscriber');
    });

    it('cannot delete a recording in progress (409)', async () => {
      expect((await api('DELETE', '/openvidu/api/recordings/recorded')).status).to.equal(409);
    });

    it('stops, then becomes ready: one WebM per stream plus the metadata JSON, zipped as OpenVidu does', async () => {
      await recorded('recorded', 150_000);
      const stopped = await ov.stopRecording('recorded');
      const recordedSeconds = (Date.now() - recordingStartedAt) / 1000;
      expect(stopped.status).to.equal('stopped');
      const done = await ready('recorded');
      expect(done.status).to.equal('ready');
      expect(done.size).to.be.greaterThan(100_000);
      expect(done.duration).to.be.greaterThan(1);
      expect(done.url).to.equal(`${liveUrl}/openvidu/recordings/recorded/individual.zip`);
      expect((await fetch(done.url)).status, 'credentials are required').to.equal(401);
      const work = await mkdtemp(path.join(testRoot(), 'recording-'));
      const zip = await download(done.url, path.join(work, 'individual.zip'));
      await exec('unzip', ['-q', zip, '-d', work]);
      const description = JSON.parse(await readFile(path.join(work, 'individual.json'), 'utf8'));
      expect(description).to.include({ id: 'recorded', name: 'individual', sessionId: 'recorded' });
      expect(description.files).to.have.length(1);
      const [file] = description.files;
      expect(file).to.include({ name: `${streamId}.webm`, streamId, clientData: 'speaker-client', serverData: 'speaker', hasAudio: true, hasVideo: true, typeOfVideo: 'CAMERA' });
      expect(file.endTimeOffset).to.be.greaterThan(file.startTimeOffset);
      const probe = await ffprobe(path.join(work, file.name));
      expect(probe.format.format_name).to.contain('webm');
      expect(probe.streams.map((s) => s.codec_name).sort()).to.deep.equal(['opus', 'vp8']);
      expect(probe.streams.find((s) => s.codec_type === 'video')!.width).to.be.greaterThan(0);
      expect(Number(probe.format.duration), 'the file lasts as long as the recording ran').to.be.closeTo(recordedSeconds, 1);
      expect(done.duration).to.be.closeTo(recordedSeconds, 1);
      const stoppedInBrowser = await waitFor(() => publisherPage.evaluate(() => (window as any).t.events.find((e: any) => e.type === 'recordingStopped')), 10_000, 'recordingStopped');
      expect(stoppedInBrowser.reason).to.equal('recordingStoppedByServer');
    });

    it('posted recordingStatusChanged for started, stopped and ready', async () => {
      const statuses = await waitFor(() => {
        const list = hooks.received.filter((h) => h.body.event === 'recordingStatusChanged' && h.body.id === 'recorded').map((h) => h.body);
        return list.some((e) => e.status === 'ready') ? list : undefined;
      }, 20_000, 'ready webhook');
      expect(statuses.map((e) => e.status)).to.include.members(['started', 'stopped', 'ready']);
      const ready = statuses.find((e) => e.status === 'ready')!;
      expect(ready).to.include({ outputMode: 'INDIVIDUAL', name: 'individual', hasAudio: true, hasVideo: true, reason: 'recordingStoppedByServer' });
      expect(ready.size).to.be.greaterThan(0);
    });
  });

  describe('COMPOSED', () => {
    it('records one MP4 laid out BEST_FIT at the asked resolution, a valid file with audio and video', async () => {
      const startedAt = Date.now();
      const recording = await ov.startRecording('recorded', { outputMode: Recording.OutputMode.COMPOSED, resolution: '640x480', frameRate: 15 });
      expect(recording.id).to.equal('recorded~1');
      expect(recording.properties.resolution).to.equal('640x480');
      await recorded('recorded~1', 150_000);
      await ov.stopRecording('recorded~1');
      const recordedSeconds = (Date.now() - startedAt) / 1000;
      const done = await ready('recorded~1');
      expect(done.status).to.equal('ready');
      expect(done.url).to.equal(`${liveUrl}/openvidu/recordings/recorded~1/recorded~1.mp4`);
      const file = await download(done.url, path.join(await mkdtemp(path.join(testRoot(), 'composed-')), 'composed.mp4'));
      const probe = await ffprobe(file);
      const video = probe.streams.find((s) => s.codec_type === 'video')!;
      expect(video).to.include({ codec_name: 'h264', width: 640, height: 480 });
      expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).to.equal('aac');
      expect(Number(probe.format.duration), 'the file lasts as long as the recording ran').to.be.closeTo(recordedSeconds, 1);
      expect(done.duration).to.be.closeTo(Number(probe.format.duration), 0.5);
      expect(done.size).to.equal((await stat(file)).size);
    });

    it('honours hasVideo false: an audio-only WebM', async () => {
      const started = await api('POST', '/openvidu/api/recordings/start', { session: 'recorded', outputMode: 'COMPOSED', hasVideo: false, name: 'voice' });
      expect(started.status, JSON.stringify(started.body)).to.equal(200);
      expect(started.body).not.to.have.any.keys('resolution', 'frameRate', 'recordingLayout');
      const id = started.body.id as string;
      await recorded(id, 20_000);
      await ov.stopRecording(id);
      const done = await ready(id);
      expect(done.url).to.match(/\/recorded(~\d+)?\/voice\.webm$/);
      const probe = await ffprobe(await download(done.url, path.join(await mkdtemp(path.join(testRoot(), 'voice-')), 'voice.webm')));
      expect(probe.streams.map((s) => s.codec_type)).to.deep.equal(['audio']);
    });

    it('lists the recordings, serves them publicly once public access is on, and deletes them', async () => {
      const list = await ov.listRecordings();
      expect(list.map((r) => r.id)).to.include.members(['recorded', 'recorded~1']);
      const { body } = await api('GET', '/openvidu/api/recordings');
      expect(body.count).to.equal(body.items.length);
      expect((await api('POST', '/pro/restart', { OPENVIDU_RECORDING_PUBLIC_ACCESS: true })).status).to.equal(200);
      const response = await fetch(`${liveUrl}/openvidu/recordings/recorded~1/recorded~1.mp4`, { headers: { Range: 'bytes=0-99' } });
      expect(response.status).to.equal(206);
      expect((await response.arrayBuffer()).byteLength).to.equal(100);
      expect((await fetch(`${liveUrl}/openvidu/recordings/recorded~1/..%2F..%2Fsettings.json`)).status).to.equal(404);
      await ov.deleteRecording('recorded~2');
      expect((await api('GET', '/openvidu/api/recordings/recorded~2')).status).to.equal(404);
      expect(await readdir(recordingsDir())).not.to.include('recorded~2');
    });
  });

  describe('closing', () => {
    it('closes the session with openvidu-node-client; its recordings stay', async () => {
      await session.close();
      expect((await api('GET', '/openvidu/api/sessions/recorded')).status).to.equal(404);
      const disconnected = await waitFor(() => subscriberPage.evaluate(() => (window as any).t.events.find((e: any) => e.type === 'sessionDisconnected')), 10_000, 'sessionDisconnected');
      expect(disconnected.reason).to.equal('sessionClosedByServer');
      expect((await ov.listRecordings()).map((r) => r.id)).to.include.members(['recorded', 'recorded~1']);
    });
  });

  describe('ALWAYS mode', () => {
    it('records from the first publisher, and the autostop after the last leave stops it and closes the session', async () => {
      const always = await ov.createSession({ customSessionId: 'always', recordingMode: RecordingMode.ALWAYS, defaultRecordingProperties: { outputMode: Recording.OutputMode.INDIVIDUAL } });
      const page = await participantPage(browser, pages.url);
      await join(page, (await always.createConnection()).token, 'always-client');
      await publish(page);
      await waitFor(async () => (await api('GET', '/openvidu/api/recordings/always')).body?.status === 'started' || undefined, 30_000, 'the automatic recording');
      await recorded('always', 50_000);
      await page.evaluate(() => (window as any).t.session.disconnect());
      const done = await ready('always');
      expect(done.status).to.equal('ready');
      expect((await api('GET', '/openvidu/api/sessions/always')).status).to.equal(404);
      // Webhooks are delivered by their own jobs: the recording can be ready before its stopped event has arrived.
      const stopped = await waitFor(async () => hooks.received.find((h) => h.body.id === 'always' && h.body.status === 'stopped'), 15_000, 'the stopped webhook');
      expect(stopped.body.reason).to.equal('automaticStop');
    });
  });
});
