import { expect } from 'chai';
import { loopbackCamera } from './support/camera.js';
import { playPublished } from './support/hlsPlayback.js';
import { bearerFor, request } from './support/http.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';
import { wevClient } from './support/wev.js';

interface Video {
  id: string;
  title: string;
  state: number;
  origin?: { source: string; exportId: string; timelineId: number; timelineUrl: string; instanceId: number };
}

/** Editor → VOD: an export asked for (or by its instance's setting) becomes a video of the application's publish library. */
describe('flows: an editor export becomes a video of the publish library', function () {
  this.timeout(400_000);
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let clipServer: Awaited<ReturnType<typeof loopbackCamera>>;
  let wev: ReturnType<typeof wevClient>;
  let publishAuth: Record<string, string>;
  let me: { userId: number; instanceId: number };
  let fileId: number;

  const fromExport = async (exportId: string): Promise<Video[]> => {
    const listed = await request(`${ws.url}/publish/videos?limit=100`, { headers: publishAuth });
    expect(listed.status).to.equal(200);
    return (listed.body.entities as Video[]).filter((v) => v.origin?.exportId === exportId);
  };
  const exported = async (title: string, body: Record<string, unknown>) => {
    const created = await wev('POST', '/api/4/timelines', { body: { title, userId: me.userId, tracks: [{ type: 'video', clips: [{ fileId, out: 2000 }] }] } });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    const timelineId = created.body.timelineId as number;
    const started = await wev('POST', `/api/4/timelines/${timelineId}/export`, { body });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
    const exportId = started.body.exportId as string;
    const done = await waitFor(async () => {
      const got = (await wev('GET', `/api/4/exports/${exportId}`)).body;
      return got.status === 'COMPLETED' || got.status === 'FAILED' ? got : undefined;
    }, 180_000, `export ${exportId}`);
    expect(done.status).to.equal('COMPLETED');
    return { timelineId, exportId };
  };
  const readyVideo = (exportId: string) =>
    waitFor(async () => {
      const [video] = await fromExport(exportId);
      return video && video.state !== 1 ? video : undefined;
    }, 240_000, `export ${exportId} to be a ready video`);

  before(async () => {
    clipServer = await loopbackCamera(6);
    conf = await makeConf({
      plugins: ['publish', 'editor'],
      server: { jobs: { pollIntervalMs: 200 }, outbound: { allowedNetworks: ['127.0.0.1/32'] } },
      files: {
        'editorConf.json': { proxy: { preset: 'ultrafast' }, export: { preset: 'ultrafast', width: 640, height: 360 } },
        'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }, { name: '144p', height: 144, videoBitrateKbps: 150 }], preset: 'ultrafast', segmentSeconds: 2, thumbnails: { count: 2, width: 160 } },
      },
    });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    const partner = JSON.parse((await runServerJs(['--create-application', 'partner', '--scopes', 'editor,publish'], { conf })).stdout);
    wev = wevClient(`${ws.url}/editor`, partner.clientId, partner.clientSecret, 'python');
    publishAuth = await bearerFor(ws.url, partner.clientId, partner.clientSecret);
    me = (await wev('GET', '/api/3/me')).body;
    const imported = await wev('POST', '/api/4/files/import', { body: { urls: [{ url: clipServer.url, title: 'clip' }], userId: me.userId } });
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    const ticket = imported.body.tickets[0] as string;
    const status = await waitFor(async () => {
      const got = (await wev('GET', `/api/4/files/status/${ticket}`)).body[ticket];
      return got && got.status !== 'TICKET_REGISTERED' ? got : undefined;
    }, 120_000, 'the clip to be imported');
    expect(status.status).to.equal('COMPLETED');
    fileId = status.fileId;
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop(), clipServer?.close()]);
  });

  it('publishes an export asked for with publishToLibrary, titled as its timeline, linked to it, playable; not one that did not ask', async () => {
    const unasked = await exported('Not for the library', {});
    const { timelineId, exportId } = await exported('Launch film', { publishToLibrary: true });
    const video = await readyVideo(exportId);
    expect(video.state, 'READY').to.equal(11);
    expect(video.title).to.equal('Launch film');
    expect(video.origin).to.include({ source: `editor.export:${exportId}`, timelineId, instanceId: me.instanceId });
    expect(video.origin!.timelineUrl).to.match(new RegExp(`/editor/api/3/editor/${timelineId}$`));
    expect(await playPublished(app.url, video.id)).to.have.members(['426x240', '256x144']);
    expect(await fromExport(unasked.exportId)).to.deep.equal([]);
  });

  it('refuses a publishToLibrary that is not a boolean, on an export (400) and as the instance setting (400)', async () => {
    const created = await wev('POST', '/api/4/timelines', { body: { title: 'Odd', userId: me.userId, tracks: [] } });
    expect((await wev('POST', `/api/4/timelines/${created.body.timelineId}/export`, { body: { publishToLibrary: 'yes' } })).status).to.equal(400);
    expect((await wev('POST', `/api/3/instance/${me.instanceId}/setting`, { body: { key: 'publishExportsToLibrary', value: 'yes' } })).status).to.equal(400);
  });

  it('publishes every export of an instance whose publishExportsToLibrary setting is on', async () => {
    const set = await wev('POST', `/api/3/instance/${me.instanceId}/setting`, { body: { key: 'publishExportsToLibrary', value: true } });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    const { exportId } = await exported('Weekly recap', {});
    expect((await readyVideo(exportId)).title).to.equal('Weekly recap');
  });
});
