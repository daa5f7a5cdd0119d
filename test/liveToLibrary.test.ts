import { expect } from 'chai';
import path from 'node:path';
import mongoose from 'mongoose';
import { loopbackCamera } from './support/camera.js';
import { databaseUri } from './support/globalDatabase.js';
import { playPublished } from './support/hlsPlayback.js';
import { bearerFor, request } from './support/http.js';
import { openviduApi, writeLiveConf } from './support/openvidu.js';
import { recordedSession } from './support/recordedSession.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

interface Video {
  id: string;
  title: string;
  state: number;
  category: number | null;
  link: string;
  origin?: { source: string; recordingId: string; sessionId: string; outputMode: string; startTime: number; endTime: number; participants: { connectionId: string; clientData: string; serverData: string }[] };
}

/**
 * Live → VOD: recordings of a session (IP cameras as its participants) that become ready are published into the
 * library of the session's owner, transcoded and played there; liveConf.json says COMPOSED only, a session may say
 * otherwise.
 */
describe('flows: a live recording becomes a video of its owner\'s publish library', function () {
  this.timeout(400_000);
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess;
  let cameras: Awaited<ReturnType<typeof loopbackCamera>>[];
  let owner: ReturnType<typeof openviduApi>;
  let ownerAuth: Record<string, string>;
  let otherAuth: Record<string, string>;

  const videos = async (as = ownerAuth): Promise<Video[]> => {
    const listed = await request(`${ws.url}/publish/videos?limit=100`, { headers: as });
    expect(listed.status).to.equal(200);
    return listed.body.entities as Video[];
  };
  const fromRecording = async (recordingId: string) => (await videos()).filter((v) => v.origin?.recordingId === recordingId);

  const recordSession = (sessionId: string, outputMode: 'COMPOSED' | 'INDIVIDUAL', sessionBody: Record<string, unknown> = {}) =>
    recordedSession(owner, path.join(conf.dataDir, 'live', 'recordings'), cameras.map((c) => c.url), sessionId, outputMode, sessionBody);

  before(async () => {
    cameras = await Promise.all([loopbackCamera(120, 'red'), loopbackCamera(120, 'blue')]);
    conf = await makeConf({
      server: { jobs: { pollIntervalMs: 200, runIn: ['ws'] }, outbound: { allowedNetworks: ['127.0.0.1/32'] } },
      files: { 'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }, { name: '144p', height: 144, videoBitrateKbps: 150 }], preset: 'ultrafast', segmentSeconds: 2, thumbnails: { count: 2, width: 160 } } },
    });
    await writeLiveConf(conf, { recording: { autostopTimeout: 1, publishToLibrary: 'COMPOSED' } });
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    const application = async (name: string) => {
      const { clientId, clientSecret } = JSON.parse((await runServerJs(['--create-application', name, '--scopes', 'live,publish'], { conf })).stdout);
      return bearerFor(ws.url, clientId, clientSecret);
    };
    [ownerAuth, otherAuth] = [await application('broadcaster'), await application('someone else')];
    owner = openviduApi(`http://127.0.0.1:${conf.livePort}`, ownerAuth.Authorization);
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
    await Promise.all((cameras ?? []).map((camera) => camera.close()));
  });

  let composed: string;

  it('refuses a session asking for an unknown publishToLibrary (400), and creates one without it as OpenVidu does', async () => {
    const refused = await owner('POST', '/openvidu/api/sessions', { customSessionId: 'odd', publishToLibrary: 'sometimes' });
    expect(refused.status).to.equal(400);
    expect(refused.body.message).to.contain('publishToLibrary');
    const plain = await owner('POST', '/openvidu/api/sessions', { customSessionId: 'plain' });
    expect(plain.status).to.equal(200);
    expect(plain.body).not.to.have.property('publishToLibrary');
    expect((await owner('DELETE', '/openvidu/api/sessions/plain')).status).to.equal(204);
  });

  it('publishes a COMPOSED recording (transcoded, playable at two qualities, with the session, participants and times), and nothing of a session that says off', async () => {
    // The session that says off is recorded first: its hand-over would have been queued before the next one's.
    const offRecording = (await recordSession('quiet-room', 'COMPOSED', { publishToLibrary: 'off' })).id;
    const { id, connections } = await recordSession('meeting', 'COMPOSED');
    composed = id;
    const recording = (await owner('GET', `/openvidu/api/recordings/${id}`)).body;
    const video = await waitFor(async () => {
      const [found] = await fromRecording(id);
      return found && found.state !== 1 ? found : undefined;
    }, 240_000, `the recording ${id} to be a ready video`);
    expect(video.state, 'READY').to.equal(11);
    expect(video.title).to.equal(recording.name);
    expect(video.link).to.equal(`/publish/v/${video.id}`);
    expect(video.category).to.equal(null);
    const origin = video.origin!;
    expect(origin).to.include({ recordingId: id, sessionId: 'meeting', outputMode: 'COMPOSED', startTime: recording.createdAt });
    expect(origin.endTime).to.be.greaterThan(origin.startTime);
    expect(origin.participants.map((p) => p.connectionId).sort()).to.deep.equal([...connections].sort());
    expect(origin.participants.map((p) => p.serverData).sort()).to.deep.equal(['camera-0', 'camera-1']);

    expect(await playPublished(app.url, video.id)).to.have.members(['426x240', '256x144']);
    // another application's library does not hold it, nor can it be read there
    expect((await videos(otherAuth)).map((v) => v.id)).not.to.include(video.id);
    expect((await request(`${ws.url}/publish/videos/${video.id}`, { headers: otherAuth })).status).to.equal(404);
    expect(await fromRecording(offRecording)).to.deep.equal([]);
  });

  it('makes no second video when the hand-over runs again (the job retried, as jobs.retry does)', async () => {
    const [video] = await fromRecording(composed);
    const db = await mongoose.createConnection(databaseUri(), { dbName: conf.database }).asPromise();
    try {
      const jobs = db.db!.collection<{ _id: mongoose.Types.ObjectId; name: string; data: { id: string }; lastFinishedAt?: Date | null; nextRunAt?: Date | null; lockedAt?: Date | null; runGeneration?: number }>('core_jobs');
      const handOvers = await jobs.find({ name: 'live.publishRecording', 'data.id': composed }).toArray();
      expect(handOvers).to.have.length(1);
      const before = handOvers[0]!;
      expect(before.lastFinishedAt, 'the hand-over ran').to.be.instanceOf(Date);
      await jobs.updateOne({ _id: before._id }, { $set: { nextRunAt: new Date(), lockedAt: null, failedAt: null, runGeneration: (before.runGeneration ?? 0) + 1 } });
      await waitFor(async () => {
        const doc = await jobs.findOne({ _id: before._id });
        return doc && doc.lastFinishedAt! > before.lastFinishedAt! && !doc.nextRunAt && !doc.lockedAt;
      }, 60_000, 'the hand-over to run again');
    } finally {
      await db.close();
    }
    const after = await fromRecording(composed);
    expect(after.map((v) => v.id)).to.deep.equal([video!.id]);
    expect(after[0]!.state).to.equal(11);
  });

  it('publishes each stream of an INDIVIDUAL recording as a video, in a folder named after the session', async () => {
    const { id, connections } = await recordSession('panel', 'INDIVIDUAL', { publishToLibrary: 'ALL' });
    const made = await waitFor(async () => {
      const found = await fromRecording(id);
      return found.length === 2 && found.every((v) => v.state !== 1) ? found : undefined;
    }, 240_000, `the streams of ${id} to be ready videos`);
    expect(made.map((v) => v.state)).to.deep.equal([11, 11]);
    expect(made.map((v) => v.origin!.participants[0]!.connectionId).sort()).to.deep.equal([...connections].sort());
    expect(made.map((v) => v.title).sort()).to.deep.equal([`${id} - camera-0`, `${id} - camera-1`]);
    const folderId = made[0]!.category;
    expect(folderId).to.be.a('number');
    expect(made[1]!.category).to.equal(folderId);
    const folders = await request(`${ws.url}/publish/api/folders`, { headers: ownerAuth });
    expect(folders.status).to.equal(200);
    expect(folders.body.filter((f: { ID: number; Name: string }) => f.ID === folderId).map((f: { Name: string }) => f.Name)).to.deep.equal(['panel']);
    for (const video of made) expect((await playPublished(app.url, video.id)).length).to.be.greaterThan(0);
  });
});
