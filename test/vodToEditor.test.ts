import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BackOfficeSession } from './support/backOfficeSession.js';
import { launchBrowser } from './support/browser.js';
import { ffprobe } from './support/ffprobe.js';
import { bearerFor, request } from './support/http.js';
import { makeSample } from './support/media.js';
import { otherMachine } from './support/machines.js';
import { makeConf, runServerJs, seed, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { bucketReader, startSeaweedfs, type S3Server } from './support/seaweedfs.js';
import { tempDir } from './support/tempDir.js';
import { uploadFile } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';
import { wevClient } from './support/wev.js';

/** The lines of the processes' request logs that reached a route of this publish file's media or player page. */
async function mediaRequests(conf: TestConf, fileId: string): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['app', 'ws', 'worker']) {
    const log = await readFile(path.join(conf.logDir, `${name}.log`), 'utf8').catch(() => '');
    lines.push(...log.split('\n').filter((line) => line.includes(`/publish/v/${fileId}`) || line.includes(`/publish/${fileId}/`)));
  }
  return lines;
}

/** The plugins' stored objects by key (`<plugin>/<key>`), wherever the platform keeps them. */
interface StoredObjects {
  bytes(key: string): Promise<Buffer | undefined>;
  keys(prefix: string): Promise<string[]>;
  /** Whether two keys hold the same bytes: on disk the same file (one inode, no space taken twice). */
  same(one: string, other: string): Promise<boolean>;
}

const onDisk = (conf: TestConf): StoredObjects => ({
  bytes: (key) => readFile(path.join(conf.dataDir, 'storage', key)).catch(() => undefined),
  keys: async (prefix) => {
    const dir = path.join(conf.dataDir, 'storage', prefix);
    const names = (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((entry) => entry.isFile());
    return names.map((entry) => path.join(prefix, path.relative(dir, path.join(entry.parentPath, entry.name))));
  },
  same: async (one, other) => {
    const [a, b] = await Promise.all([one, other].map((key) => stat(path.join(conf.dataDir, 'storage', key))));
    return a!.ino === b!.ino && a!.dev === b!.dev;
  },
});

interface StorageSetup {
  label: string;
  /** serverConf.json's `storage` and what the test reads the objects with (none: the data folder's disk). */
  start(): Promise<{ storage?: S3Server['settings']; objects?: StoredObjects; stop(): Promise<void> }>;
  /** Where the worker runs: this machine, or another with a disk of its own (S3 only). */
  workerConf(conf: TestConf): Promise<TestConf>;
}

const setups: StorageSetup[] = [
  {
    label: 'local disk',
    async start() {
      return { stop: async () => undefined };
    },
    workerConf: async (conf) => conf,
  },
  {
    label: 'S3 (SeaweedFS), the worker on another machine',
    async start() {
      const s3: S3Server = await startSeaweedfs('mediahost-vod-editor');
      const bucket = bucketReader(s3);
      return {
        storage: s3.settings,
        objects: {
          bytes: (key) => bucket.objectBytes(key).catch(() => undefined),
          keys: (prefix) => bucket.objects(prefix),
          same: async (one, other) => (await bucket.objectBytes(one)).equals(await bucket.objectBytes(other)),
        },
        stop: async () => {
          bucket.destroy();
          await s3.stop();
        },
      };
    },
    workerConf: (conf) => otherMachine(conf, 'worker'),
  },
];

for (const setup of setups) describe(`VOD to the editor on ${setup.label}: a published video opened in the editor from storage`, function () {
  this.timeout(300_000);
  let objects: StoredObjects;
  let stopStorage: () => Promise<void>;
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let worker: RunningProcess;
  let owner: ReturnType<typeof wevClient>;
  let stranger: ReturnType<typeof wevClient>;
  let workerConf: TestConf;
  /** The editor file the import by URL made. */
  let importedFileId: number;
  let publishAuth: { Authorization: string };
  let video: { id: string; linkId: number; link: string; duration: number; sourceSize: number };
  let admin: { email: string; password: string };

  const publishSource = async () => (await objects.bytes(`publish/files/${video.id}/source.mkv`))?.length;
  /** The editor file's proxy, probed from a local copy. */
  const proxyOf = async (fileId: number) => {
    const bytes = await objects.bytes(`editor/files/${fileId}/proxy.mp4`);
    expect(bytes, `the proxy of editor file ${fileId}`).to.not.equal(undefined);
    const file = path.join(await tempDir('vod-editor-proxy-'), 'proxy.mp4');
    await writeFile(file, bytes!);
    return ffprobe(file);
  };
  const ticketOutcome = (wev: ReturnType<typeof wevClient>, ticket: string) =>
    waitFor(async () => {
      const entry = (await wev('GET', `/api/4/files/status/${ticket}`)).body[ticket];
      return entry.status === 'TICKET_REGISTERED' ? undefined : entry;
    }, 180_000, `ticket ${ticket}`);

  before(async () => {
    const storage = await setup.start();
    stopStorage = storage.stop;
    conf = await makeConf({
      plugins: ['publish', 'editor'],
      // jobs only in a worker: the web service checks the import, the worker opens the video again through its own registry
      server: { ...(storage.storage ? { storage: storage.storage } : {}), jobs: { runIn: [], pollIntervalMs: 200 } },
      files: {
        'publishConf.json': { qualities: [{ name: '360p', height: 360, videoBitrateKbps: 600 }, { name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', segmentSeconds: 2, thumbnails: { count: 2, width: 160 } },
        'editorConf.json': { proxy: { preset: 'veryfast' } },
      },
    });
    objects = storage.objects ?? onDisk(conf);
    app = await startProcess(conf, 'app');
    workerConf = await setup.workerConf(conf);
    [ws, worker] = await Promise.all([startProcess(conf, 'ws'), startProcess(workerConf, 'worker')]);
    const application = async (name: string) => JSON.parse((await runServerJs(['--create-application', name, '--scopes', 'publish,editor'], { conf })).stdout);
    const mine = await application('media team');
    const theirs = await application('another tenant');
    owner = wevClient(`${ws.url}/editor`, mine.clientId, mine.clientSecret, 'python');
    stranger = wevClient(`${ws.url}/editor`, theirs.clientId, theirs.clientSecret, 'python');
    admin = await seed(conf, []);

    // the media team publishes a short video and it is transcoded
    const auth = await bearerFor(ws.url, mine.clientId, mine.clientSecret);
    publishAuth = auth;
    const sample = await readFile(await makeSample({ seconds: 3, width: 640, height: 360 }));
    const uploaded = await uploadFile(ws.url, auth, sample, 'Harbour at dawn.mkv');
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.be.oneOf([200, 201]);
    const id: string = uploaded.body.UUID;
    let seen: unknown;
    const ready = await waitFor(async () => {
      const { body } = await request(`${ws.url}/publish/videos/${id}`, { headers: auth });
      seen = body;
      return body.entity?.state === 11 || body.entity?.state === 0 ? body.entity : undefined;
    }, 180_000, 'the video to be transcoded').catch((error: Error) => {
      throw new Error(`${error.message}; the upload answered ${JSON.stringify(uploaded.body)}, the video ${JSON.stringify(seen)}`);
    });
    expect(ready.state, 'transcoded').to.equal(11);
    // the URL publish answers for the video: its player page on the site
    const { body: videos } = await request(`${ws.url}/publish/videos`, { headers: auth });
    const listed = videos.entities.find((entity: { id: string }) => entity.id === id);
    video = { id, linkId: uploaded.body.ID, link: `${app.url}${listed.link}`, duration: listed.duration, sourceSize: 0 };
    expect(video.link).to.equal(`${app.url}/publish/v/${id}`);
    video.sourceSize = (await publishSource())!;
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop(), worker?.stop()]);
    await stopStorage?.();
  });

  it('imports the video by its URL with proxies and its duration, without one HTTP request to its media', async () => {
    const answer = await owner('POST', '/api/4/files/import', { body: { urls: [video.link] } });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const outcome = await ticketOutcome(owner, answer.body.tickets[0]);
    expect(outcome.status, JSON.stringify(outcome)).to.equal('COMPLETED');

    importedFileId = outcome.fileId;
    const file = (await owner('GET', `/api/4/files/${outcome.fileId}`)).body;
    expect(file).to.include({ type: 'video', title: 'Harbour at dawn.mkv', width: 640, height: 360 });
    expect(file.duration).to.be.closeTo(video.duration * 1000, 150);
    // the proxy was made from it, as for any import
    const proxy = await proxyOf(outcome.fileId);
    expect(proxy.streams.some((s) => s.codec_type === 'video')).to.equal(true);
    expect(Number(proxy.format.duration) * 1000).to.be.closeTo(file.duration, 200);
    // publish keeps its source as it was, and the editor's source is the very same stored media
    expect(await publishSource()).to.equal(video.sourceSize);
    expect(await objects.same(`editor/files/${outcome.fileId}/source.mkv`, `publish/files/${video.id}/source.mkv`)).to.equal(true);

    // not one request reached the video's player page or media routes...
    expect(await mediaRequests(conf, video.id)).to.deep.equal([]);
    // ...and the request log would have shown one
    expect((await request(`${app.url}/publish/v/${video.id}`)).status).to.equal(200);
    await waitFor(async () => (await mediaRequests(conf, video.id)).length === 1, 10_000, 'the player page request in the log');
  });

  it("refuses another tenant's import of the video exactly as the import of a video that does not exist", async () => {
    const foreign = await stranger('POST', '/api/4/files/import', { body: { urls: [video.link] } });
    const missing = await stranger('POST', '/api/4/files/import', { body: { urls: [`${app.url}/publish/v/${randomUUID()}`] } });
    expect(foreign.status).to.equal(404);
    expect({ status: foreign.status, body: foreign.body }).to.deep.equal({ status: missing.status, body: missing.body });
  });

  it('opens the video in the editor from the back office for a user who can see it, and refuses one who cannot', async () => {
    const manager = await BackOfficeSession.signIn(app.url, admin.email, admin.password);
    // the videos page offers the editor's action beside the video
    const listing = await manager.get('/be/publish/api/files');
    expect(listing.status).to.equal(200);
    const row = listing.body.files.find((f: { id: string }) => f.id === video.id);
    const opener = listing.body.openers.find((o: { label: string }) => o.label === 'Open in editor');
    expect(opener, JSON.stringify(listing.body.openers)).to.deep.equal({ label: 'Open in editor', action: '/be/editor/api/stored-media' });
    const open = (session: BackOfficeSession, url: string) =>
      request(`${app.url}${opener.action}`, { method: 'POST', headers: { ...session.headers(), 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) });

    const opened = await open(manager, row.link);
    expect(opened.status, JSON.stringify(opened.body)).to.equal(202);
    const state = await waitFor(async () => {
      const { body } = await manager.get(`${opener.action}/${opened.body.ticket}`);
      return body.status === 'TICKET_REGISTERED' ? undefined : body;
    }, 180_000, 'the back-office import');
    expect(state.status, JSON.stringify(state)).to.equal('COMPLETED');
    expect(state.fileId).to.be.a('number');
    const proxy = await proxyOf(state.fileId);
    expect(Number(proxy.format.duration)).to.be.closeTo(video.duration, 0.2);

    // a user whose roles do not let them see the video: as for one that does not exist
    const password = 'another horse battery';
    expect((await runServerJs(['--create-user', 'viewer@example.test', '--password-stdin'], { conf, stdin: `${password}\n` })).code).to.equal(0);
    const viewer = await BackOfficeSession.signIn(app.url, 'viewer@example.test', password);
    const refused = await open(viewer, row.link);
    const missing = await open(viewer, `${app.url}/publish/v/${randomUUID()}`);
    expect(refused.status).to.equal(404);
    expect(refused.body).to.deep.equal(missing.body);
    // nor can they read the manager's ticket
    expect((await viewer.get(`${opener.action}/${opened.body.ticket}`)).status).to.equal(404);
    // a web URL is not what the back-office action takes
    expect((await open(manager, 'https://example.org/clip.mp4')).status).to.equal(404);
    expect(await mediaRequests(conf, video.id)).to.have.length(1);
    // both imports were ingested by the worker, which opened the video through its own process's registry
    const completed = (await readFile(path.join(conf.logDir, 'worker.log'), 'utf8')).split('\n').filter((line) => line.includes('"job":"editor.ingest"') && line.includes('completed'));
    expect(completed).to.have.length(2);
  });

  it('offers "Open in editor" beside the video on the videos page, and the click imports it', async () => {
    const proxies = async () => (await objects.keys('editor/files/')).filter((key) => key.endsWith('/proxy.mp4')).length;
    const before = await proxies();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app.url}/be/login?next=/be/publish`);
      await page.fill('input[name="email"]', admin.email);
      await page.fill('input[name="password"]', admin.password);
      await Promise.all([page.waitForURL('**/be/publish'), page.click('button[type="submit"]')]);
      const button = page.locator(`tbody tr[data-id="${video.id}"] button[data-action="open-with"]`);
      expect(await button.textContent()).to.equal('Open in editor');
      await button.click();
      await page.waitForFunction((id) => document.querySelector(`tr[data-id="${id}"] button[data-action="open-with"]`)?.textContent === 'Open in editor: sent', video.id, { timeout: 30_000 });
      expect(await page.locator('[data-role="error"]').textContent()).to.equal('');
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
    await waitFor(async () => (await proxies()) === before + 1, 180_000, 'the editor media of the click');
    expect(await mediaRequests(conf, video.id)).to.have.length(1);
  });

  // last: it deletes the video
  it('fails an import whose video is deleted before its job opens it, as for a video that does not exist', async () => {
    await worker.stop();
    const answer = await owner('POST', '/api/4/files/import', { body: { urls: [video.link] } });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const removed = await request(`${ws.url}/publish/api/file`, { method: 'DELETE', headers: { ...publishAuth, 'Content-Type': 'application/json' }, body: JSON.stringify({ LinkID: video.linkId }) });
    expect(removed.status, JSON.stringify(removed.body)).to.equal(200);
    worker = await startProcess(workerConf, 'worker');
    expect(await ticketOutcome(owner, answer.body.tickets[0])).to.deep.equal({ status: 'FAILED', error: 'No such media' });
    // what the editor imported before is its own: publish deleting the video leaves it whole
    expect(await publishSource()).to.equal(undefined);
    expect((await objects.bytes(`editor/files/${importedFileId}/source.mkv`))?.length).to.equal(video.sourceSize);
    expect((await owner('GET', `/api/4/files/${importedFileId}`)).status).to.equal(200);
  });
});
