import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EventBus, EventDeliveryError } from '@mediahost/core';
import winston from 'winston';
import { LocalStorage } from '../../../../core/src/storage/localStorage.js';
import { tempDir } from '../../../../test/support/tempDir.js';
import type { RecordingProperties } from '../openvidu/bodies.js';
import { LIBRARY_IMPORT, publishRecordingJob, wantedInLibrary, type LibraryImport } from './libraryHandOver.js';
import type { RecordingInfo } from './recordingModel.js';
import { LocalRecordingStore } from './recordingStore.js';
import { zipFiles } from './zipStore.js';


const silent = winston.createLogger({ silent: true });
const properties = (outputMode: 'COMPOSED' | 'INDIVIDUAL', name: string) => ({ name, outputMode, hasAudio: true, hasVideo: true }) as RecordingProperties;
const participant = (n: number, file?: string, hasVideo = true) => ({ connectionId: `con_${n}`, streamId: `str_${n}`, clientData: '', serverData: `camera-${n}`, hasAudio: true, hasVideo, ...(file ? { file } : {}), startTimeOffset: 10, endTimeOffset: 4000 });

describe('the hand-over of ready recordings to the publish library', () => {
  let root: string;
  let store: LocalRecordingStore;
  let bus: EventBus;
  let received: (LibraryImport & { bytes: string })[];
  let failOn: string | undefined;
  const run = (id: string) =>
    publishRecordingJob({ store, events: bus, storage: new LocalStorage(path.join(root, 'storage')) }).handle({ id }, { id: 'job', data: { id }, attempt: 0, progress: async () => undefined, signal: new AbortController().signal, logger: silent });

  beforeEach(async () => {
    root = await tempDir('handover-');
    store = new LocalRecordingStore(() => path.join(root, 'recordings'));
    bus = new EventBus(silent);
    received = [];
    failOn = undefined;
    // A listener that copies what it is handed while the delivery lasts, as publish does, and fails when told to.
    bus.on(LIBRARY_IMPORT, async (delivered) => {
      if (delivered.source === failOn) throw new Error('the database is away');
      received.push({ ...delivered, bytes: await readFile(delivered.path, 'utf8') });
    });
  });

  it('follows the session, else liveConf.json: off, COMPOSED only, or every recording', () => {
    const info = (outputMode: 'COMPOSED' | 'INDIVIDUAL', publishToLibrary?: 'off' | 'COMPOSED' | 'ALL') => ({ properties: properties(outputMode, 'r'), ...(publishToLibrary ? { publishToLibrary } : {}) }) as RecordingInfo;
    expect(wantedInLibrary(info('COMPOSED'), 'off')).to.equal(false);
    expect(wantedInLibrary(info('COMPOSED'), 'COMPOSED')).to.equal(true);
    expect(wantedInLibrary(info('INDIVIDUAL'), 'COMPOSED')).to.equal(false);
    expect(wantedInLibrary(info('INDIVIDUAL'), 'ALL')).to.equal(true);
    expect(wantedInLibrary(info('COMPOSED', 'off'), 'ALL')).to.equal(false);
    expect(wantedInLibrary(info('INDIVIDUAL', 'ALL'), 'off')).to.equal(true);
    expect(wantedInLibrary({ ...info('COMPOSED', 'ALL'), properties: { ...properties('COMPOSED', 'r'), hasVideo: false } }, 'ALL'), 'audio only: no video to publish').to.equal(false);
  });

  it('hands a COMPOSED recording over under the same source each time it runs, the operator\'s to the operator library', async () => {
    const info: RecordingInfo = { id: 'meeting', sessionId: 'meeting', uniqueSessionId: 'meeting_1000', createdAt: 1000, properties: properties('COMPOSED', 'Weekly'), status: 'ready', size: 5, duration: 4.5, url: null, fileName: 'Weekly.mp4', participants: [participant(1), participant(2)] };
    await store.save(info);
    await writeFile(path.join(store.dir('meeting'), 'Weekly.mp4'), 'composed');
    await run('meeting');
    await run('meeting');
    expect(received).to.have.length(2);
    expect(received[0]!.source).to.equal('live.recording:meeting_1000:meeting');
    expect(received[1]!.source).to.equal(received[0]!.source);
    expect(received[0]).to.deep.include({ owner: 'operator', title: 'Weekly', bytes: 'composed' });
    expect(received[0]!.folder).to.equal(undefined);
    expect(received[0]!.details).to.deep.include({ sessionId: 'meeting', recordingId: 'meeting', outputMode: 'COMPOSED', startTime: 1000, endTime: 5500 });
    expect((received[0]!.details.participants as { connectionId: string }[]).map((p) => p.connectionId)).to.deep.equal(['con_1', 'con_2']);
  });

  it('hands each video stream of an INDIVIDUAL recording over, grouped by session; one that fails leaves the others handed over, and the run again hands the same ones', async () => {
    const dir = store.dir('panel');
    const info: RecordingInfo = { id: 'panel', owner: 'app:a', sessionId: 'panel', uniqueSessionId: 'panel_2000', createdAt: 2000, properties: properties('INDIVIDUAL', 'panel'), status: 'ready', size: 5, duration: 4, url: null, fileName: 'panel.zip', participants: [participant(1, 'str_1.webm'), participant(2, 'str_2.webm'), participant(3, 'str_3.webm', false)] };
    await store.save(info);
    await writeFile(path.join(dir, 'a'), 'first stream');
    await writeFile(path.join(dir, 'b'), 'second stream');
    await zipFiles(path.join(dir, 'panel.zip'), [{ name: 'str_1.webm', path: path.join(dir, 'a') }, { name: 'str_2.webm', path: path.join(dir, 'b') }, { name: 'str_3.webm', path: path.join(dir, 'a') }]);

    failOn = 'live.recording:panel_2000:panel:str_1';
    const failed = await run('panel').then(() => undefined, (e: unknown) => e);
    expect(failed, 'the job fails, so the queue runs it again').to.be.instanceOf(AggregateError);
    expect((failed as Error).message).to.contain('1 of 2 streams').and.to.contain('the database is away');
    expect(received.map((r) => r.source), 'the second stream went anyway; the audio-only one is no video').to.deep.equal(['live.recording:panel_2000:panel:str_2']);

    failOn = undefined;
    await run('panel');
    expect(received.map((r) => r.source)).to.deep.equal(['live.recording:panel_2000:panel:str_2', 'live.recording:panel_2000:panel:str_1', 'live.recording:panel_2000:panel:str_2']);
    const [, first, second] = received;
    expect(first).to.deep.include({ owner: 'app:a', title: 'panel - camera-1', bytes: 'first stream', folder: { key: 'panel_2000', name: 'panel' } });
    expect(second).to.deep.include({ title: 'panel - camera-2', bytes: 'second stream', folder: { key: 'panel_2000', name: 'panel' } });
    expect(second!.details).to.deep.include({ streamId: 'str_2' });
  });

  it('fails, to be run again, when nothing takes the recording (publish not loaded in this process)', async () => {
    bus = new EventBus(silent);
    await store.save({ id: 'alone', sessionId: 'alone', uniqueSessionId: 'alone_1', createdAt: 1, properties: properties('COMPOSED', 'alone'), status: 'ready', size: 1, duration: 1, url: null, fileName: 'alone.mp4' });
    await writeFile(path.join(store.dir('alone'), 'alone.mp4'), 'x');
    expect(await run('alone').then(() => undefined, (e: unknown) => e)).to.be.instanceOf(EventDeliveryError);
  });
});
