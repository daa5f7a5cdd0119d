import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mediaBinaries } from './support/toolchain.js';
import { makeSample } from './support/media.js';
import type { RunningProcess } from './support/platform.js';
import { startPublishPlatform, type PublishPlatform } from './support/publishApi.js';
import { uploadFile } from './support/tusUpload.js';
import { waitFor } from './support/waitFor.js';
import { tempDir } from './support/tempDir.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Records every POST; `/flaky` answers 500 to its first request, as a receiver that was briefly down. */
function receiver() {
  const received: Received[] = [];
  let flakyCalls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url === '/flaky' && flakyCalls++ === 0) return res.writeHead(500).end('down');
      res.writeHead(204).end();
    });
  });
  return { server, received };
}

describe('publish: webhooks', () => {
  let ws: RunningProcess;
  let auth: Record<string, string>;
  let otherAuth: Record<string, string>;
  let hooks: ReturnType<typeof receiver>;
  let origin: string;
  let failMarker: string;
  let sample: Buffer;

  let platform: PublishPlatform;
  const call: PublishPlatform['call'] = (...args) => platform.call(...args);
  const eventsAt = (route: string, event: string, uuid: string) =>
    hooks.received.filter((r) => r.path === route && r.headers['x-mediahost-event'] === event && JSON.parse(r.body).file.UUID === uuid);

  before(async () => {
    hooks = receiver();
    await new Promise<void>((resolve) => hooks.server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(hooks.server.address() as AddressInfo).port}`;
    // an ffmpeg that fails every encode while the marker file exists
    const dir = await tempDir('ffmpeg-');
    failMarker = path.join(dir, 'fail');
    const ffmpeg = path.join(dir, 'ffmpeg');
    await writeFile(ffmpeg, `#!/bin/sh\nif [ -f ${failMarker} ]; then case "$*" in *-i*) echo "Simulated encoder failure" >&2; exit 1;; esac; fi\nexec ${mediaBinaries().ffmpeg} "$@"\n`);
    await chmod(ffmpeg, 0o755);
    platform = await startPublishPlatform(
      { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast' },
      { outbound: { allowedNetworks: ['127.0.0.1'], webhookRetryDelayMs: 200 }, ffmpegPath: ffmpeg },
    );
    ({ ws, auth, otherAuth } = platform);
    sample = await readFile(await makeSample({ seconds: 2, width: 320, height: 240 }));
  });
  after(async () => {
    await platform?.stop();
    hooks?.server.closeAllConnections();
    await new Promise((resolve) => hooks?.server.close(resolve));
    await rm(path.dirname(failMarker), { recursive: true, force: true });
  });

  let all: { ID: number };
  let deletions: { ID: number };

  it('creates, lists, updates and deletes webhooks with VideoCMS fields, answering ok', async () => {
    const created = await call('POST', '/webhook', { Name: 'All events', Url: `${origin}/all`, Rpm: 2, ReqQuery: 'ref', ResField: 'source' });
    expect(created.status).to.equal(200);
    expect(created.body).to.equal('ok');
    expect((await call('POST', '/webhook', { Name: 'Deletions', Url: `${origin}/flaky`, Events: ['file.deleted'] })).status).to.equal(200);
    expect((await call('POST', '/webhook', { Name: 'Temporary', Url: 'https://example.com/hook' })).status).to.equal(200);
    const listed = (await call('GET', '/webhooks')).body;
    expect(listed.map((h: { Name: string }) => h.Name)).to.deep.equal(['All events', 'Deletions', 'Temporary']);
    expect(listed[0]).to.include({ Url: `${origin}/all`, Rpm: 2, ReqQuery: 'ref', ResField: 'source', DeletedAt: null });
    expect(listed[0].Events).to.deep.equal(['file.created', 'encoding.finished', 'encoding.failed', 'file.deleted']);
    expect(listed[1].Events).to.deep.equal(['file.deleted']);
    [all, deletions] = listed;

    const temporary = listed[2].ID;
    expect((await call('PUT', '/webhook', { WebhookID: temporary, Name: 'Renamed', Url: 'https://example.com/other', Rpm: 5 })).body).to.equal('ok');
    expect((await call('GET', '/webhooks')).body.find((h: { ID: number }) => h.ID === temporary)).to.include({ Name: 'Renamed', Url: 'https://example.com/other', Rpm: 5 });
    expect((await call('PUT', '/webhook', { WebhookID: temporary, Name: 'Mine now', Url: 'https://example.com/x' }, otherAuth)).status).to.equal(404);
    expect((await call('DELETE', '/webhook', { WebhookID: temporary }, otherAuth)).status).to.equal(404);
    expect((await call('DELETE', '/webhook', { WebhookID: temporary })).body).to.equal('ok');
    expect((await call('GET', '/webhooks')).body).to.have.length(2);
    expect((await call('GET', '/webhooks', undefined, otherAuth)).body).to.deep.equal([]);
  });

  it('answers 400 for bad webhook input', async () => {
    for (const body of [
      {},
      { Name: 'x' },
      { Name: 'x', Url: 'ftp://example.com/hook' },
      { Name: 'x', Url: 'not a url' },
      { Name: 'x', Url: 'https://example.com/hook', Rpm: 61 },
      { Name: 'x', Url: 'https://example.com/hook', ReqQuery: 'has space' },
      { Name: 'x', Url: 'https://example.com/hook', Events: ['file.exploded'] },
      { Name: '', Url: 'https://example.com/hook' },
    ]) {
      const response = await call('POST', '/webhook', body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.body.error.message).to.be.a('string');
    }
    expect((await call('PUT', '/webhook', { Name: 'x', Url: 'https://example.com/hook' })).status).to.equal(400);
    expect((await call('GET', '/webhook/secret?WebhookID=999999')).status).to.equal(404);
  });

  it('posts signed events for a file created, encoded and deleted, retrying a receiver that failed, with a delivery log', async () => {
    const secret = (await call('GET', `/webhook/secret?WebhookID=${all.ID}`)).body.Secret as string;
    expect(secret).to.match(/^[0-9a-f]{64}$/);
    expect((await call('GET', `/webhook/secret?WebhookID=${all.ID}`, undefined, otherAuth)).status).to.equal(404);

    const { body: link } = await uploadFile(ws.url, auth, sample, 'Hooked.mkv');
    const created = await waitFor(() => eventsAt('/all', 'file.created', link.UUID)[0], 30_000, 'file.created');
    const payload = JSON.parse(created!.body);
    expect(payload).to.deep.include({ event: 'file.created' });
    expect(payload.file).to.include({ ID: link.ID, UUID: link.UUID, Name: 'Hooked.mkv', ParentFolderID: 0, Size: sample.length });
    const timestamp = created!.headers['x-mediahost-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${created!.body}`).digest('hex')}`;
    expect(created!.headers['x-mediahost-signature']).to.equal(expected);
    expect(created!.headers['content-type']).to.equal('application/json');

    const finished = await waitFor(() => eventsAt('/all', 'encoding.finished', link.UUID)[0], 60_000, 'encoding.finished');
    expect(JSON.parse(finished!.body).file).to.include({ Status: 'ready' });
    expect(eventsAt('/flaky', 'file.created', link.UUID), 'the Deletions hook only listens for file.deleted').to.deep.equal([]);

    expect((await call('DELETE', '/file', { LinkID: link.ID })).status).to.equal(200);
    await waitFor(() => eventsAt('/all', 'file.deleted', link.UUID).length === 1, 30_000, 'file.deleted on the first hook');
    await waitFor(() => eventsAt('/flaky', 'file.deleted', link.UUID).length === 2, 30_000, 'file.deleted retried on the flaky hook');

    const log = await waitFor(async () => {
      const { body } = await call('GET', `/webhook/deliveries?WebhookID=${deletions.ID}`);
      return body[0]?.Status === 'delivered' ? body : undefined;
    }, 30_000, 'the delivery to be logged as delivered');
    expect(log).to.have.length(1);
    expect(log[0]).to.include({ Event: 'file.deleted', Url: `${origin}/flaky` });
    expect(log[0].Attempts.map((a: { StatusCode: number }) => a.StatusCode)).to.deep.equal([500, 204]);
    const allLog = (await call('GET', `/webhook/deliveries?WebhookID=${all.ID}`)).body;
    expect(allLog.map((d: { Event: string }) => d.Event).sort()).to.deep.equal(['encoding.finished', 'file.created', 'file.deleted']);
  });

  it('posts encoding.failed with the ffmpeg error', async () => {
    await writeFile(failMarker, '');
    try {
      const { body: link } = await uploadFile(ws.url, auth, sample, 'Doomed.mkv');
      const failed = await waitFor(() => eventsAt('/all', 'encoding.failed', link.UUID)[0], 60_000, 'encoding.failed');
      expect(JSON.parse(failed!.body).file).to.include({ Status: 'failed', UUID: link.UUID });
      expect(JSON.parse(failed!.body).file.Error).to.contain('Simulated encoder failure');
    } finally {
      await rm(failMarker, { force: true });
    }
  });
});
