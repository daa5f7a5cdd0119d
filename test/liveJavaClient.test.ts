import { expect } from 'chai';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { loopbackCamera } from './support/camera.js';
import { ffprobe } from './support/ffprobe.js';
import { testRoot } from './support/globalDatabase.js';
import { javaClientCheck } from './support/javaClient.js';
import { OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, startProcess, type RunningProcess } from './support/platform.js';

/** openvidu-java-client 2.32.1 from Maven Central, run in a JVM against the live port, unchanged. */
describe('live: openvidu-java-client', function () {
  this.timeout(300_000);
  let ws: RunningProcess;
  let liveUrl: string;
  let camera: Awaited<ReturnType<typeof loopbackCamera>>;

  before(async () => {
    camera = await loopbackCamera(120);
    const conf = await makeConf({ server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'] } } });
    liveUrl = await writeLiveConf(conf);
    ws = await startProcess(conf, 'ws');
  });
  after(async () => {
    await ws?.stop();
    await camera?.close();
  });

  it('creates sessions (default properties, custom id, duplicate, re-created), connections, updates, fetches, disconnects, closes; errors as OpenVidu', async () => {
    const result = await javaClientCheck(['api', liveUrl, OPENVIDU_SECRET]);
    expect(result.ok).to.equal(true);
    expect(result.done).to.include.members(['createSession()', 'createSession(customSessionId) twice', 'close and re-create', 'JDK HttpClient']);
  });

  for (const [mode, end] of [['INDIVIDUAL', 'stop'], ['INDIVIDUAL', 'close'], ['COMPOSED', 'stop'], ['COMPOSED', 'close']] as const) {
    it(`records an IPCAM publisher ${mode}, ended by ${end === 'stop' ? 'stopRecording' : 'closing the session'}: every second recorded is in the files (ffprobe)`, async () => {
      const out = await mkdtemp(path.join(testRoot(), 'java-recording-'));
      const result = await javaClientCheck(['record', liveUrl, OPENVIDU_SECRET, camera.url, mode, end, '4', out]);
      const files = (result.files as string[]).filter((file) => /\.(webm|mkv|mp4)$/.test(file));
      expect(files, JSON.stringify(result)).to.have.length(1);
      const probe = await ffprobe(files[0]!);
      expect(probe.streams.some((s) => s.codec_type === 'video')).to.equal(true);
      // From the moment startRecording answered (or, at most, was called) to the moment it was ended, ±1 s
      const seconds = Number(probe.format.duration);
      expect(seconds, JSON.stringify(result)).to.be.within((result.sinceStarted as number) - 1, (result.sinceStartCall as number) + 1);
      expect(result.duration as number, 'the recording\'s duration is its file\'s').to.be.closeTo(seconds, 1);
    });
  }
});
