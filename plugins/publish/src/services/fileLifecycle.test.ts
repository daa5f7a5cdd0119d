import { expect } from 'chai';
import { EventBus, type EventType, type Model } from '@mediahost/core';
import winston from 'winston';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { fileModel, type FileDoc } from '../models/file.js';
import { FileLifecycle, IllegalTransitionError, type NewFile } from './fileLifecycle.js';
import { FILE_EVENTS } from '../events.js';

let linkIds = 0;
const fields = (id: string): NewFile => ({
  _id: id,
  linkId: ++linkIds,
  owner: 'app:a',
  name: `${id}.mp4`,
  folderId: null,
  sha256: `sha-${id}`,
  size: 10,
  sourceName: 'source.mp4',
  durationSeconds: 4,
  width: 320,
  height: 240,
  fps: 25,
  audio: [],
  subtitles: [],
});

const media = { subtitles: [], renditions: [{ name: '240p', width: 320, height: 240, videoBitrateKbps: 400 }], thumbnails: 10 };

async function refused(promise: Promise<unknown>): Promise<IllegalTransitionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(IllegalTransitionError);
  expect((error as IllegalTransitionError).status).to.equal(409);
  return error as IllegalTransitionError;
}

describe('FileLifecycle', () => {
  let files: Model<FileDoc>;
  let lifecycle: FileLifecycle;
  let fired: { event: EventType<FileDoc>; fileId: string; status: string }[];
  const state = async (id: string) => {
    const file = await files.findById(id).lean<FileDoc>();
    return file && `${file.status}/${file.encoding.status}`;
  };

  before(async () => {
    files = fileModel(await openTestDatabase('lifecycle'));
  });

  beforeEach(() => {
    const events = new EventBus(winston.createLogger({ silent: true }));
    fired = [];
    for (const event of Object.values(FILE_EVENTS)) events.on(event, (file) => void fired.push({ event, fileId: file._id, status: file.status }));
    lifecycle = new FileLifecycle(files, events);
  });

  it('creates a file queued for its transcode and announces it once', async () => {
    const file = await lifecycle.create(fields('c1'));
    expect(`${file.status}/${file.encoding.status}`).to.equal('processing/queued');
    expect(await state('c1')).to.equal('processing/queued');
    expect(fired).to.deep.equal([{ event: FILE_EVENTS.created, fileId: 'c1', status: 'processing' }]);
  });

  it('creates a copy of ready media ready at once: created and encoding finished, once each', async () => {
    await lifecycle.createReady(fields('c2'));
    expect(await state('c2')).to.equal('ready/ready');
    expect(fired.map((f) => f.event)).to.deep.equal([FILE_EVENTS.created, FILE_EVENTS.encodingFinished]);
  });

  it('runs a transcode: start, progress, ready, with one encodingFinished', async () => {
    await lifecycle.create(fields('t1'));
    fired = [];
    const started = await lifecycle.start('t1', 'job-1');
    expect(started).to.include({ status: 'processing' });
    expect(started!.encoding).to.include({ status: 'running', jobId: 'job-1', attempts: 1, progress: 0 });
    await lifecycle.progress('t1', 42);
    expect((await files.findById('t1').lean<FileDoc>())!.encoding.progress).to.equal(42);
    const ready = await lifecycle.transcoded('t1', media);
    expect(ready!.encoding).to.include({ status: 'ready', progress: 100 });
    expect(ready!.renditions).to.have.length(1);
    expect(fired).to.deep.equal([{ event: FILE_EVENTS.encodingFinished, fileId: 't1', status: 'ready' }]);

    // a job run again after the file is ready (or for a deleted file) has nothing to do
    expect(await lifecycle.start('t1', 'job-1')).to.equal(null);
    expect(await lifecycle.start('missing', 'job-2')).to.equal(null);
    await lifecycle.progress('t1', 10);
    expect((await files.findById('t1').lean<FileDoc>())!.encoding.progress, 'a late progress write leaves a ready file alone').to.equal(100);
  });

  it('refuses to finish or fail a transcode that is not running, and fires nothing', async () => {
    await lifecycle.create(fields('t2'));
    fired = [];
    const error = await refused(lifecycle.transcoded('t2', media));
    expect(error).to.include({ fileId: 't2', transition: 'transcoded' });
    expect(error.from).to.deep.equal({ status: 'processing', encoding: 'queued' });
    await refused(lifecycle.failed('t2', 'boom'));
    await refused(lifecycle.attemptFailed('t2', 'boom'));
    expect(await state('t2')).to.equal('processing/queued');
    expect(fired).to.deep.equal([]);
  });

  it('puts a failed attempt back in the queue, and fails the file once the last attempt fails', async () => {
    await lifecycle.create(fields('f1'));
    fired = [];
    await lifecycle.start('f1', 'job-f1');
    const again = await lifecycle.attemptFailed('f1', 'ffmpeg exited 1');
    expect(`${again!.status}/${again!.encoding.status}`).to.equal('processing/queued');
    expect(again!.encoding.error).to.equal('ffmpeg exited 1');
    expect(fired).to.deep.equal([]);

    const second = await lifecycle.start('f1', 'job-f1');
    expect(second!.encoding.attempts).to.equal(2);
    expect(second!.encoding.error, 'a new attempt clears the last error').to.equal(undefined);
    const failed = await lifecycle.failed('f1', 'ffmpeg exited 1 again');
    expect(`${failed!.status}/${failed!.encoding.status}`).to.equal('failed/failed');
    expect(fired).to.deep.equal([{ event: FILE_EVENTS.encodingFailed, fileId: 'f1', status: 'failed' }]);
    await refused(lifecycle.failed('f1', 'twice'));
    expect(fired).to.have.length(1);
  });

  it('retries a failed or stalled encoding and refuses a ready or a busy one with the API\'s 409', async () => {
    await lifecycle.create(fields('r1'));
    await lifecycle.start('r1', 'job-r1');
    const failed = await lifecycle.failed('r1', 'bad input');
    fired = [];
    const retried = await lifecycle.retry(failed!, async () => false);
    expect(`${retried!.status}/${retried!.encoding.status}`).to.equal('processing/queued');
    expect(retried!.encoding).to.not.have.property('error');

    const busy = await refused(lifecycle.retry(retried!, async () => false));
    expect(busy.message).to.equal('File r1 is processing: only a failed or stalled encoding can be retried');
    expect(await lifecycle.retry(retried!, async () => true), 'a stalled one').to.include({ status: 'processing' });

    await lifecycle.start('r1', 'job-r1');
    const ready = await lifecycle.transcoded('r1', media);
    let asked = false;
    const error = await refused(
      lifecycle.retry(ready!, async () => {
        asked = true;
        return true;
      }),
    );
    expect(error.message).to.equal('File r1 is ready: only a failed or stalled encoding can be retried');
    expect(asked, 'a ready file is never stalled').to.equal(false);
    expect(await state('r1')).to.equal('ready/ready');
    expect(fired.map((f) => f.event)).to.deep.equal([FILE_EVENTS.encodingFinished]);
  });

  it('lets a file wait on a leader and settles it with the leader\'s media, once', async () => {
    await lifecycle.create(fields('l1'));
    await lifecycle.create(fields('w1'));
    fired = [];
    expect((await lifecycle.follow('w1', 'l1'))!.encoding).to.include({ status: 'waiting', sharedFrom: 'l1' });
    await lifecycle.start('l1', 'job-l1');
    const leader = await lifecycle.transcoded('l1', media);
    const settled = await lifecycle.settle('w1', leader!);
    expect(`${settled!.status}/${settled!.encoding.status}`).to.equal('ready/ready');
    expect(settled!.renditions).to.deep.equal(media.renditions);
    expect(settled!.encoding.sharedFrom).to.equal('l1');
    await refused(lifecycle.settle('w1', leader!));
    expect(fired).to.deep.equal([
      { event: FILE_EVENTS.encodingFinished, fileId: 'l1', status: 'ready' },
      { event: FILE_EVENTS.encodingFinished, fileId: 'w1', status: 'ready' },
    ]);
  });

  it('settles a waiting file with its failed leader\'s error, and only from the leader it waits on', async () => {
    await lifecycle.create(fields('l2'));
    await lifecycle.create(fields('w2'));
    await lifecycle.follow('w2', 'l2');
    await lifecycle.start('l2', 'job-l2');
    const leader = await lifecycle.failed('l2', 'unsupported codec');
    fired = [];
    await refused(lifecycle.settle('w2', { ...leader!, _id: 'someone-else' }));
    const settled = await lifecycle.settle('w2', leader!);
    expect(`${settled!.status}/${settled!.encoding.status}`).to.equal('failed/failed');
    expect(settled!.encoding.error).to.equal('unsupported codec');
    expect(fired).to.deep.equal([{ event: FILE_EVENTS.encodingFailed, fileId: 'w2', status: 'failed' }]);
  });

  it('stops waiting to transcode alone; a queued file already is, a running one cannot', async () => {
    await lifecycle.create(fields('w3'));
    await lifecycle.follow('w3', 'gone');
    const led = await lifecycle.lead('w3');
    expect(led!.encoding.status).to.equal('queued');
    expect(led!.encoding).to.not.have.property('sharedFrom');
    expect((await lifecycle.lead('w3'))!.encoding.status).to.equal('queued');
    await lifecycle.start('w3', 'job-w3');
    await refused(lifecycle.lead('w3'));
    await refused(lifecycle.follow('w3', 'other'));
  });

  it('deletes a file with one deleted event; transitions of a deleted file do nothing', async () => {
    const file = await lifecycle.create(fields('d1'));
    fired = [];
    await lifecycle.remove(file);
    expect(await state('d1')).to.equal(null);
    expect(fired).to.deep.equal([{ event: FILE_EVENTS.deleted, fileId: 'd1', status: 'processing' }]);
    expect(await lifecycle.follow('d1', 'x')).to.equal(null);
    expect(await lifecycle.transcoded('d1', media)).to.equal(null);
    expect(fired).to.have.length(1);
  });

  it('is the only writer of a file\'s state: the model refuses status and encoding writes from elsewhere', async () => {
    await lifecycle.create(fields('g1'));
    for (const write of [
      () => files.updateOne({ _id: 'g1' }, { $set: { status: 'ready' } }),
      () => files.updateOne({ _id: 'g1' }, { $set: { 'encoding.status': 'ready' } }),
      () => files.findByIdAndUpdate('g1', { $unset: { 'encoding.error': 1 } }),
      () => files.updateMany({}, { $set: { encoding: { status: 'failed', progress: 0, attempts: 0 } } }),
    ]) {
      const error = await write().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).to.match(/written by its lifecycle/);
    }
    expect(await state('g1')).to.equal('processing/queued');
    await files.updateOne({ _id: 'g1' }, { $set: { name: 'renamed' }, $inc: { views: 1 } });
    expect((await files.findById('g1').lean<FileDoc>())!).to.include({ name: 'renamed', views: 1 });
  });
});
