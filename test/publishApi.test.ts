import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from './support/http.js';
import { makeSample } from './support/media.js';
import type { RunningProcess, TestConf } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { tusUpload } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';

describe('publish: the VideoCMS media API', () => {
  let app: RunningProcess;
  let ws: RunningProcess;
  let auth: Record<string, string>;
  let otherAuth: Record<string, string>;
  let sample: Buffer;
  let conf: TestConf;
  const MAX_UPLOAD = 4 * 1024 * 1024;

  let platform: PublishPlatform;
  const call: PublishPlatform['call'] = (...args) => platform.call(...args);
  const upload = async (filename: string, metadata: Record<string, string> = {}) => {
    const url = await tusUpload(sample, { endpoint: `${ws.url}/publish/api/uploads`, headers: auth, metadata: { filename, ...metadata } }).done;
    const finalized = await call('POST', `/uploads/${url.split('/').pop()}/finalize`);
    expect(finalized.status).to.equal(200);
    return finalized.body as { ID: number; UUID: string; Name: string; ParentFolderID: number };
  };

  before(async () => {
    platform = await startPublishPlatform({ qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', segmentSeconds: 2, maxUploadBytes: MAX_UPLOAD });
    ({ conf, app, ws, auth, otherAuth } = platform);
    sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240 }));
  });
  after(async () => {
    await platform?.stop();
  });

  let courses: { ID: number; ParentFolderID: number };
  let week1: { ID: number; ParentFolderID: number };
  let intro: { ID: number; UUID: string };
  let outro: { ID: number; UUID: string };

  it('creates folders from JSON or a form, with keys matched regardless of case', async () => {
    const created = await call('POST', '/folder', { Name: 'Courses' });
    expect(created.status).to.equal(200);
    expect(created.body).to.include({ Name: 'Courses', ParentFolderID: 0, DeletedAt: null });
    courses = created.body;
    const form = await request(`${ws.url}/publish/api/folder`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Week 1', ParentFolderID: String(courses.ID) }).toString(),
    });
    expect(form.body).to.include({ Name: 'Week 1', ParentFolderID: courses.ID });
    week1 = form.body;
    expect((await call('GET', '/folders')).body.map((f: { Name: string }) => f.Name)).to.deep.equal(['Courses']);
    expect((await call('GET', `/folders?ParentFolderID=${courses.ID}`)).body.map((f: { ID: number }) => f.ID)).to.deep.equal([week1.ID]);
  });

  it('lists uploaded files per folder as Link objects, and searches across folders', async () => {
    intro = await upload('Intro.mkv', { parent_folder_id: String(week1.ID) });
    outro = await upload('Outro.mkv');
    expect(intro).to.include({ ParentFolderID: week1.ID });
    const root = await call('GET', '/files');
    expect(root.body.map((l: { Name: string }) => l.Name)).to.deep.equal(['Outro.mkv']);
    expect(root.body[0]).to.have.keys('ID', 'CreatedAt', 'UpdatedAt', 'DeletedAt', 'UUID', 'Name', 'ParentFolderID', 'Tags');
    expect((await call('GET', `/files?ParentFolderID=${week1.ID}`)).body.map((l: { ID: number }) => l.ID)).to.deep.equal([intro.ID]);
    expect((await call('GET', '/files/search?Query=tro')).body.map((l: { Name: string }) => l.Name)).to.deep.equal(['Intro.mkv', 'Outro.mkv']);
    expect((await call('GET', '/files/search?Query=tro', undefined, otherAuth)).body).to.deep.equal([]);
  });

  it('gives a file its details, then null encodings once processing is over', async () => {
    const detail = await waitFor(async () => {
      const { body } = await call('GET', `/file?LinkID=${intro.ID}`);
      return body.Qualitys?.[0]?.Ready ? body : undefined;
    }, 60_000, 'the file to be ready');
    expect(detail).to.include({ ID: intro.ID, UUID: intro.UUID, Name: 'Intro.mkv', Size: sample.length, ParentFolderID: week1.ID });
    expect(detail.Duration).to.be.closeTo(2, 0.2);
    expect(detail.Qualitys).to.deep.equal([{ Name: '240p', Type: 'hls', Height: 240, Width: 320, AvgFrameRate: 25, Ready: true, Failed: false, Progress: 100 }]);
    expect(detail.Thumbnail).to.equal(`/publish/${intro.UUID}/image/thumb/poster.jpg`);
    await waitFor(async () => (await call('GET', `/file?LinkID=${outro.ID}`)).body.Qualitys[0].Ready, 60_000, 'the second file');
    const encodings = await call('GET', '/encodings');
    expect(encodings.status).to.equal(200);
    expect(encodings.body).to.equal(null);
  });

  it('pages, sorts and filters a folder beyond what VideoCMS offers, with the total in X-Total-Count', async () => {
    const folder = (await call('POST', '/folder', { Name: 'Paging' })).body as { ID: number };
    for (const [route, name] of [['/file/upload', 'c.mkv'], ['/file', 'a.mkv'], ['/file/upload', 'b.mkv']]) {
      const form = new FormData();
      form.append('Name', name!);
      form.append('ParentFolderID', String(folder.ID));
      form.append('file', new Blob([new Uint8Array(sample)]), name);
      expect((await request(`${ws.url}/publish/api${route}`, { method: 'POST', headers: auth, body: form })).status, route).to.equal(200);
    }
    const names = async (query: string) => {
      const response = await call('GET', `/files?ParentFolderID=${folder.ID}&${query}`);
      expect(response.status, query).to.equal(200);
      return { names: response.body.map((l: { Name: string }) => l.Name), total: response.headers.get('x-total-count') };
    };
    expect(await names('')).to.deep.equal({ names: ['a.mkv', 'b.mkv', 'c.mkv'], total: '3' });
    expect((await names('SortBy=createdAt&Order=desc')).names).to.deep.equal(['b.mkv', 'a.mkv', 'c.mkv']);
    expect(await names('Page=1&Limit=2')).to.deep.equal({ names: ['c.mkv'], total: '3' });
    expect(await names('Status=ready')).to.deep.equal({ names: ['a.mkv', 'b.mkv', 'c.mkv'], total: '3' });
    expect(await names('Status=failed')).to.deep.equal({ names: [], total: '0' });
    expect((await call('GET', `/files?ParentFolderID=${folder.ID}&SortBy=colour`)).status).to.equal(400);
    expect((await call('GET', `/files?ParentFolderID=${folder.ID}&Limit=0`)).status).to.equal(400);
    expect((await call('DELETE', '/folder', { FolderID: folder.ID })).status).to.equal(200);
  });

  it('reuses the transcoded media of identical bytes, for an upload and for a clone by hash, each copy outliving the other', async () => {
    const { body: detail } = await call('GET', `/file?LinkID=${intro.ID}`);
    expect(detail.Sha256).to.match(/^[0-9a-f]{64}$/);
    const again = await upload('Same bytes.mkv');
    const { body: copy } = await call('GET', `/file?LinkID=${again.ID}`);
    expect(copy.Qualitys.every((q: { Ready: boolean }) => q.Ready), 'ready at once, with no second encode').to.equal(true);
    expect(copy).to.include({ Sha256: detail.Sha256, Duration: detail.Duration, Size: detail.Size });
    expect((await call('GET', '/encodings')).body).to.equal(null);

    const clone = await call('POST', '/file/clone', { Name: 'Clone.mkv', Sha256: detail.Sha256.toUpperCase(), ParentFolderID: courses.ID });
    expect(clone.status).to.equal(200);
    expect(clone.body).to.include({ Name: 'Clone.mkv', ParentFolderID: courses.ID, Tags: null });
    expect(clone.body.UUID).to.not.equal(intro.UUID);
    expect((await call('POST', '/file/clone', { Name: 'x.mkv', Sha256: 'a'.repeat(64) })).status).to.equal(404);
    expect((await call('POST', '/file/clone', { Name: 'x.mkv', Sha256: detail.Sha256 }, otherAuth)).status, "another owner's hash").to.equal(404);
    expect((await call('POST', '/file/clone', { Name: 'x.mkv', Sha256: 'not-a-hash' })).status).to.equal(400);
    expect((await call('POST', '/file/clone', { Name: 'x.mkv', Sha256: detail.Sha256, ParentFolderID: 999999 })).status).to.equal(400);

    expect((await call('DELETE', '/file', { LinkID: again.ID })).status).to.equal(200);
    const page = await fetch(`${app.url}/publish/v/${clone.body.UUID}`);
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
    const masterUrl = `${app.url}/publish/${clone.body.UUID}/stream/multi/master.m3u8`;
    const master = await fetch(masterUrl, { headers: { Cookie: cookie } });
    expect(master.status).to.equal(200);
    const variantUrl = new URL((await master.text()).split('\n').find((line) => line.endsWith('.m3u8'))!, masterUrl);
    const playlist = await (await fetch(variantUrl, { headers: { Cookie: cookie } })).text();
    const segmentUrl = new URL(playlist.split('\n').find((line) => line.endsWith('.ts'))!, variantUrl);
    const bytes = await fetch(segmentUrl, { headers: { Cookie: cookie } });
    expect(bytes.status, 'a segment of the clone, after the copy it was made beside was deleted').to.equal(200);
    expect((await bytes.arrayBuffer()).byteLength).to.be.above(0);
    expect((await call('DELETE', '/file', { LinkID: clone.body.ID })).status).to.equal(200);
  });

  it('renames, tags and moves files and folders', async () => {
    expect((await call('PUT', '/file', { LinkID: intro.ID, Name: 'Introduction.mkv' })).status).to.equal(200);
    const tag = await call('POST', '/file/tag', { Name: 'week-1', LinkId: intro.ID });
    expect(tag.body).to.include({ Name: 'week-1' });
    const reused = await call('POST', '/file/tag', { name: 'week-1', linkid: outro.ID });
    expect(reused.body.ID).to.equal(tag.body.ID);
    const listed = (await call('GET', `/files?ParentFolderID=${week1.ID}`)).body[0];
    expect(listed).to.include({ Name: 'Introduction.mkv' });
    expect(listed.Tags).to.deep.equal([{ ID: tag.body.ID, DeletedAt: null, Name: 'week-1' }]);
    expect((await call('DELETE', '/file/tag', { TagId: tag.body.ID, LinkId: intro.ID })).status).to.equal(200);
    expect((await call('GET', `/files?ParentFolderID=${week1.ID}`)).body[0].Tags).to.deep.equal([]);

    expect((await call('PUT', '/folder', { FolderID: week1.ID, Name: 'Week one' })).status).to.equal(200);
    const moved = await call('PUT', '/move', { ParentFolderID: 0, FolderIDs: [week1.ID], LinkIDs: [outro.ID] });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    expect((await call('GET', '/folders')).body.map((f: { Name: string }) => f.Name)).to.deep.equal(['Courses', 'Week one']);
    expect((await call('PUT', '/move', { ParentFolderID: week1.ID, FolderIDs: [], LinkIDs: [outro.ID] })).status).to.equal(200);
    expect((await call('GET', `/files?ParentFolderID=${week1.ID}`)).body.map((l: { Name: string }) => l.Name)).to.deep.equal(['Introduction.mkv', 'Outro.mkv']);
    const cycle = await call('PUT', '/move', { ParentFolderID: week1.ID, FolderIDs: [week1.ID] });
    expect(cycle.status).to.equal(400);
  });

  it('answers 400 with a JSON message for bad input, and 404 for unknown or foreign ids', async () => {
    const nested = (await call('POST', '/folder', { Name: 'Nested', ParentFolderID: week1.ID })).body as { ID: number };
    for (const [method, path, body] of [
      ['PUT', '/file', { Name: 'x' }],
      ['PUT', '/file', { LinkID: 'abc', Name: 'x' }],
      ['PUT', '/file', { LinkID: intro.ID, Name: '' }],
      ['POST', '/folder', {}],
      ['GET', '/files/search', undefined],
      ['DELETE', '/files', { LinkIDs: [] }],
      ['DELETE', '/files', { LinkIDs: [{ LinkID: intro.ID }, { LinkID: intro.ID }] }],
      ['DELETE', '/folders', { FolderIDs: [{ FolderID: courses.ID }, { FolderID: nested.ID }] }],
    ] as const) {
      const response = await call(method, path, body);
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(response.body.error.message, path).to.be.a('string').and.not.equal('');
    }
    expect((await call('GET', '/file?LinkID=999999')).status).to.equal(404);
    expect((await call('GET', `/file?LinkID=${intro.ID}`, undefined, otherAuth)).status).to.equal(404);
    expect((await call('DELETE', '/file', { LinkID: intro.ID }, otherAuth)).status).to.equal(404);
    expect((await call('GET', `/folders?ParentFolderID=${courses.ID}`, undefined, otherAuth)).status).to.equal(404);
  });

  describe('direct single-request upload', () => {
    const postFile = (content: Buffer | null, fields: Record<string, string>, as = auth) => {
      const form = new FormData();
      for (const [key, value] of Object.entries(fields)) form.append(key, value);
      if (content) form.append('file', new Blob([new Uint8Array(content)]), 'upload.bin');
      return request(`${ws.url}/publish/api/file/upload`, { method: 'POST', headers: as, body: form });
    };
    const incoming = () => readdir(path.join(conf.dataDir, 'storage/publish/incoming')).catch(() => []);

    it('streams a multipart file into a new Link in the given folder', async () => {
      const folder = (await call('POST', '/folder', { Name: 'Direct' })).body as { ID: number };
      const uploaded = await postFile(sample, { Name: 'Direct.mkv', ParentFolderID: String(folder.ID) });
      expect(uploaded.status).to.equal(200);
      expect(uploaded.body).to.include({ Name: 'Direct.mkv', ParentFolderID: folder.ID, Tags: null });
      const detail = await call('GET', `/file?LinkID=${uploaded.body.ID}`);
      expect(detail.body).to.include({ UUID: uploaded.body.UUID, Size: sample.length });
      expect(await incoming()).to.deep.equal([]);
    });

    it('refuses a file beyond the configured size with 413, keeping nothing', async () => {
      const tooLarge = await postFile(Buffer.alloc(MAX_UPLOAD + 2 * 1024 * 1024), { Name: 'Big.mkv' });
      expect(tooLarge.status).to.equal(413);
      expect(tooLarge.body.error.message).to.match(/max upload filesize/i);

      const boundary = 'mediahost-test-boundary';
      const parts = [
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="Name"\r\n\r\nStreamed.mkv\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        ...Array.from({ length: 6 }, () => Buffer.alloc(1024 * 1024)),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ];
      const streamed = await request(`${ws.url}/publish/api/file/upload`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: new ReadableStream({
          pull(controller) {
            const next = parts.shift();
            if (next) controller.enqueue(next);
            else controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status, 'a body without Content-Length, cut off once past the limit').to.equal(413);
      expect(await incoming()).to.deep.equal([]);
    });

    it('answers 400 for a missing file, a missing name, a foreign folder or bytes that are not media', async () => {
      const cases: [Buffer | null, Record<string, string>, RegExp][] = [
        [null, { Name: 'Nothing.mkv' }, /no file/i],
        [sample, {}, /name/i],
        [sample, { Name: 'x.mkv', ParentFolderID: '999999' }, /folder/i],
        [Buffer.from('just some text, not a video'), { Name: 'notes.mkv' }, /notes\.mkv/],
      ];
      for (const [content, fields, message] of cases) {
        const response = await postFile(content, fields);
        expect(response.status, JSON.stringify(fields)).to.equal(400);
        expect(response.body.error.message).to.match(message);
      }
      const notMultipart = await call('POST', '/file/upload', { Name: 'x.mkv' });
      expect(notMultipart.status).to.equal(400);
      expect(await incoming()).to.deep.equal([]);
    });
  });

  it('deletes files one by one or in bulk, and folders with what they hold', async () => {
    const extra = await upload('Extra.mkv');
    expect((await call('DELETE', '/files', { LinkIDs: [{ LinkID: extra.ID }] })).status).to.equal(200);
    expect((await call('GET', `/file?LinkID=${extra.ID}`)).status).to.equal(404);
    expect((await call('DELETE', '/folder', { FolderID: week1.ID })).status).to.equal(200);
    expect((await call('GET', `/file?LinkID=${intro.ID}`)).status).to.equal(404);
    expect((await call('GET', `/file?LinkID=${outro.ID}`)).status).to.equal(404);
    const media = await fetch(`${app.url}/publish/${intro.UUID}/image/thumb/poster.jpg`);
    expect(media.status).to.equal(404);
    expect((await call('DELETE', '/folders', { FolderIDs: [{ FolderID: courses.ID }] })).status).to.equal(200);
    expect((await call('GET', '/folders')).body).to.deep.equal([]);
  });
});
