import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bearerFor, request } from './support/http.js';
import { mediaBinaries } from './support/toolchain.js';
import { makeSample } from './support/media.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { uploadFile } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';
import { tempDir } from './support/tempDir.js';

const ladder = { qualities: [{ name: '360p', height: 360, videoBitrateKbps: 600 }], segmentSeconds: 2, thumbnails: { count: 2 } };

async function startWithPublishConf(publishConf: Record<string, unknown>, server: Record<string, unknown> = {}) {
  const conf = await makeConf({ files: { 'publishConf.json': publishConf }, server });
  const [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
  const credentials = JSON.parse((await runServerJs(['--create-application', 'ops', '--scopes', 'publish'], { conf })).stdout);
  const auth = await bearerFor(ws.url, credentials.clientId, credentials.clientSecret);
  return { conf, app, ws, auth };
}

interface EncodingRow {
  UUID: string;
  Status: string;
  Progress: number;
  Error: string | null;
  Attempts: number;
}
/** The file's row in GET /publish/api/encodings; undefined once it is no longer encoding (ready). */
const encodingOf = async (wsUrl: string, auth: Record<string, string>, fileId: string) =>
  (((await request(`${wsUrl}/publish/api/encodings`, { headers: auth })).body ?? []) as EncodingRow[]).find((e) => e.UUID === fileId);
const stateOf = async (wsUrl: string, auth: Record<string, string>, fileId: string) => (await request(`${wsUrl}/publish/videos/${fileId}`, { headers: auth })).body.entity?.state as number;

describe('publish: processing failures', () => {
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let auth: Record<string, string>;
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
  });

  it('marks a file failed with the ffmpeg error, leaves nothing half-made, and runs it again when the operator retries', async () => {
    const brokenFfmpeg = path.join(await tempDir('ffmpeg-'), 'ffmpeg');
    // answers fluent-ffmpeg's capability queries like ffmpeg, and fails every encode
    await writeFile(brokenFfmpeg, `#!/bin/sh\ncase "$*" in *-i*) echo "Simulated encoder failure: out of licences" >&2; exit 1;; esac\nexec ${mediaBinaries().ffmpeg} "$@"\n`);
    await chmod(brokenFfmpeg, 0o755);
    ({ conf, app, ws, auth } = await startWithPublishConf(ladder, { ffmpegPath: brokenFfmpeg }));

    const sample = await readFile(await makeSample({ seconds: 3 }));
    const { status, body } = await uploadFile(ws.url, auth, sample, 'doomed.mkv');
    expect(status).to.equal(200);
    const fileId = body.UUID as string;

    const failed = await waitFor(async () => {
      const encoding = await encodingOf(ws.url, auth, fileId);
      return encoding?.Status === 'failed' ? encoding : undefined;
    }, 60_000, 'the encoding to fail');
    expect(failed.Error).to.contain('Simulated encoder failure: out of licences');
    expect(failed.Attempts).to.equal(2);
    expect((await request(`${ws.url}/publish/videos/${fileId}`, { headers: auth })).body.entity.state).to.equal(0);
    const fileDir = path.join(conf.dataDir, 'storage', 'publish', 'files', fileId);
    expect(existsSync(path.join(fileDir, 'media'))).to.equal(false);
    expect(existsSync(path.join(fileDir, 'work'))).to.equal(false);
    expect((await fetch(`${app.url}/publish/v/${fileId}`).then((r) => r.text()))).to.contain('could not be processed');

    const serverConfFile = path.join(conf.confDir, 'serverConf.json');
    const { ffmpegPath: _broken, ...serverConf } = JSON.parse(await readFile(serverConfFile, 'utf8')) as Record<string, unknown>;
    await writeFile(serverConfFile, JSON.stringify(serverConf));
    await app.stop();
    app = await startProcess(conf, 'app');
    const retried = await request(`${ws.url}/publish/api/encodings/${fileId}/retry`, { method: 'POST', headers: auth });
    expect(retried.status).to.equal(202);
    expect(retried.body.file.status).to.equal('processing');
    await waitFor(async () => (await stateOf(ws.url, auth, fileId)) === 11, 60_000, 'the retried encoding to finish');
    expect(await encodingOf(ws.url, auth, fileId)).to.equal(undefined);
    expect(existsSync(path.join(fileDir, 'media', 'master.m3u8'))).to.equal(true);
    expect((await request(`${ws.url}/publish/api/encodings/${fileId}/retry`, { method: 'POST', headers: auth })).status).to.equal(409);
  });
});

describe('publish: a transcode killed mid-way', () => {
  let app: RunningProcess;
  let ws: RunningProcess;
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
  });

  it('is resumed after the process restarts and completes', async function () {
    // a deliberately slow encode, done twice in part: its own waits bound it, not mocha's default
    this.timeout(300_000);
    let conf: TestConf;
    let auth: Record<string, string>;
    ({ conf, app, ws, auth } = await startWithPublishConf({
      qualities: [
        { name: '720p', height: 720, videoBitrateKbps: 2000 },
        { name: '360p', height: 360, videoBitrateKbps: 600 },
      ],
      preset: 'medium',
      transcodeLockSeconds: 3,
    }));
    const sample = await readFile(await makeSample({ seconds: 20, width: 1280, height: 720 }));
    const { body } = await uploadFile(ws.url, auth, sample, 'long.mkv');
    const fileId = body.UUID as string;

    await waitFor(async () => {
      const encoding = await encodingOf(ws.url, auth, fileId);
      return encoding?.Status === 'running' && encoding.Progress > 0 ? encoding : undefined;
    }, 60_000, 'the encoding to be under way');
    await app.stop('SIGKILL');
    expect((await encodingOf(ws.url, auth, fileId))?.Status).to.equal('running');

    app = await startProcess(conf, 'app');
    await waitFor(async () => (await stateOf(ws.url, auth, fileId)) === 11, 120_000, 'the encoding to complete after the restart');
    const detail = await request(`${ws.url}/publish/api/file?LinkID=${body.ID}`, { headers: auth });
    expect(detail.body.Qualitys.every((q: { Ready: boolean; Progress: number }) => q.Ready && q.Progress === 100)).to.equal(true);
    const media = path.join(conf.dataDir, 'storage', 'publish', 'files', fileId, 'media');
    const variant = await readFile(path.join(media, '720p', 'video.m3u8'), 'utf8');
    expect(variant).to.contain('#EXT-X-ENDLIST');
    const durations = [...variant.matchAll(/^#EXTINF:([\d.]+),$/gm)].map((m) => Number(m[1]));
    expect(durations.reduce((a, b) => a + b, 0)).to.be.closeTo(20, 0.5);
  });
});
