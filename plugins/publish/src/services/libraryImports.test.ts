import { expect } from 'chai';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EventBus, EventDeliveryError, type Model } from '@mediahost/core';
import winston from 'winston';
import { LocalStorage } from '../../../../core/src/storage/localStorage.js';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { LIBRARY_IMPORT, type LibraryImport } from '../libraryEvents.js';
import { Claims } from '../models/claim.js';
import { fileModel, type FileDoc } from '../models/file.js';
import { folderModel, type FolderDoc } from '../models/folder.js';
import { Folders } from './folders.js';
import type { Ingest, IngestRequest } from './ingest.js';
import { LibraryImports, videoIdOf } from './libraryImports.js';

/**
 * The hand-over's idempotence, on the real database: the ingest here stands in only for probing and transcoding, and
 * inserts the file under the id it is given as the real one does, so a second insert meets the unique _id.
 */
describe('LibraryImports: media handed over by another plugin', () => {
  let files: Model<FileDoc>;
  let folders: Model<FolderDoc>;
  let imports: LibraryImports;
  let ingested: IngestRequest[];
  let failNext: Error | undefined;
  let dir: string;
  let source: string;
  let counter = 0;

  const request = (over: Partial<LibraryImport> = {}): LibraryImport => ({
    source: 'live.recording:room~1',
    owner: 'app:owner',
    title: 'room',
    path: source,
    details: { sessionId: 'room' },
    ...over,
  });

  before(async () => {
    const db = await openTestDatabase('libraryimports');
    files = fileModel(db);
    folders = folderModel(db);
    dir = await mkdtemp(path.join(os.tmpdir(), 'imports-'));
    source = path.join(dir, 'recording.mp4');
    await writeFile(source, 'not really media');
    const ids = { next: async () => ++counter, continueAfter: async () => undefined };
    const ingest = {
      async ingest(req: IngestRequest) {
        ingested.push(req);
        if (failNext) {
          const error = failNext;
          failNext = undefined;
          throw error;
        }
        // a slow probe, so that two takes at once both get past the first look-up
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (await files.create({ _id: req.id, linkId: ++counter, owner: req.owner, name: req.name, folderId: req.folderId, sha256: 'x', size: 1, sourceName: 'source', status: 'processing', origin: req.origin, encoding: { status: 'queued', progress: 0, attempts: 0 } })).toObject();
      },
    } as unknown as Ingest;
    imports = new LibraryImports(files, new Folders(folders, ids), new Claims(db), ids, ingest, new LocalStorage(path.join(dir, 'storage')), winston.createLogger({ silent: true }));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ingested = [];
  });

  it('derives a stable UUID from the source: the same source, the same video id', () => {
    expect(videoIdOf('a')).to.equal(videoIdOf('a'));
    expect(videoIdOf('a')).not.to.equal(videoIdOf('b'));
    expect(videoIdOf('a')).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes one video of a source delivered again (a retried job), with its origin kept', async () => {
    const first = await imports.take(request());
    const second = await imports.take(request());
    expect(second._id).to.equal(first._id);
    expect(await files.countDocuments({ 'origin.source': 'live.recording:room~1' })).to.equal(1);
    expect(ingested).to.have.length(1);
    expect((await files.findById(first._id).lean<FileDoc>())!.origin).to.deep.equal({ sessionId: 'room', source: 'live.recording:room~1' });
  });

  it('makes one video of a source delivered twice at once (two processes)', async () => {
    const both = await Promise.all([imports.take(request({ source: 'live.recording:twice' })), imports.take(request({ source: 'live.recording:twice' }))]);
    expect(both[0]._id).to.equal(both[1]._id);
    expect(await files.countDocuments({ 'origin.source': 'live.recording:twice' })).to.equal(1);
  });

  it('groups the videos of one folder key in one root folder of the owner, even when delivered at once', async () => {
    const folder = { key: 'room_123', name: 'room' };
    const made = await Promise.all(['a', 'b', 'c'].map((stream) => imports.take(request({ source: `live.recording:room~2:${stream}`, folder }))));
    const owned = await folders.find({ owner: 'app:owner', name: 'room' }).lean<FolderDoc[]>();
    expect(owned).to.have.length(1);
    expect(owned[0]!.parentId).to.equal(null);
    expect(made.map((file) => file.folderId)).to.deep.equal([owned[0]!._id, owned[0]!._id, owned[0]!._id]);
  });

  it('fails the delivery when the video could not be made, and makes it when delivered again; no copy is left behind', async () => {
    const bus = new EventBus(winston.createLogger({ silent: true }));
    bus.on(LIBRARY_IMPORT, async (req) => void (await imports.take(req)));
    failNext = new Error('database away');
    const error = await bus.deliver(LIBRARY_IMPORT, request({ source: 'editor.export:e1' })).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(EventDeliveryError);
    expect(await files.countDocuments({ 'origin.source': 'editor.export:e1' })).to.equal(0);
    await bus.deliver(LIBRARY_IMPORT, request({ source: 'editor.export:e1' }));
    expect(await files.countDocuments({ 'origin.source': 'editor.export:e1' })).to.equal(1);
    expect(await readdir(path.join(dir, 'storage', 'incoming'))).to.deep.equal([]);
  });
});
