import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { StoredMediaRegistry, type JobHandle, type MediaRequester, type Model, type PluginUrls, type Principal, type Storage } from '@mediahost/core';
import type { Claims } from '../models/claims.js';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { TicketDoc } from '../models/ticket.js';
import type { Folders } from './folders.js';
import { Intake } from './intake.js';

const KEY = 'upload url key';
const sign = (id: string, expires: number) => createHmac('sha256', KEY).update(`${id}\n${expires}`).digest('base64url');
const unused = {} as never;

describe('editor: upload URLs', () => {
  // The URL checks come before anything is looked up or stored: no database is needed to see them refuse.
  const intake = new Intake(unused as Model<TicketDoc>, unused as Claims, unused as Folders, unused as JobHandle<{ ticketId: string }>, unused as Storage, KEY, unused as PluginUrls, { maxFileBytes: 10, uploadTicketMs: 60_000 }, new StoredMediaRegistry());
  const refusal = (id: string, expires: string | undefined, signature: string | undefined) =>
    intake.receiveUpload(id, expires, signature, Readable.from([Buffer.from('x')])).then(
      () => undefined,
      (error: Error & { status?: number }) => error,
    );

  it('refuses a correctly signed URL once it has expired', async () => {
    const expires = Date.now() - 1;
    const error = await refusal('2026_01_01_x', String(expires), sign('2026_01_01_x', expires));
    expect(error?.status).to.equal(403);
    expect(error?.message).to.match(/expired/);
  });

  it('refuses a signature of another ticket or another expiry, and a missing one', async () => {
    const expires = Date.now() + 60_000;
    expect((await refusal('2026_01_01_x', String(expires), sign('2026_01_01_y', expires)))?.message).to.match(/signature/);
    expect((await refusal('2026_01_01_x', String(expires + 1), sign('2026_01_01_x', expires)))?.message).to.match(/signature/);
    expect((await refusal('2026_01_01_x', String(expires), undefined))?.status).to.equal(403);
    expect((await refusal('2026_01_01_x', 'soon', sign('2026_01_01_x', expires)))?.status).to.equal(403);
  });
});

describe('editor: imports of stored media', () => {
  const principal = (id: string): Principal => ({ applicationId: id, clientId: `client-${id}`, scopes: ['editor'], scheme: 'wev', subject: `app:${id}` });
  const owner = { _id: 1, instanceId: 1, rootFolderId: 1 } as EditorUserDoc;
  const asked: MediaRequester[] = [];
  const registry = new StoredMediaRegistry();
  // videos at http://site.test/v/<id>, owned by app:a; a URL of this provider is never fetched
  registry.register({
    provider: 'videos',
    recognizes: (url) => url.origin === 'http://site.test' && url.pathname.startsWith('/v/'),
    async resolve(url, requester) {
      asked.push(requester);
      const mine = requester.kind === 'application' && requester.subject === 'app:a' && url.pathname === '/v/1';
      return mine ? { provider: 'videos', id: '1', title: 'One', durationSeconds: 1, fileName: 'source.mp4', useLocalCopy: (use) => use('/nowhere') } : undefined;
    },
  });
  // Refusals come before any ticket is stored or job queued: the tickets model and the job handle are not there at all.
  const intake = new Intake(unused as Model<TicketDoc>, unused as Claims, unused as Folders, unused as JobHandle<{ ticketId: string }>, unused as Storage, KEY, unused as PluginUrls, { maxFileBytes: 10, uploadTicketMs: 60_000 }, registry);
  const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail('imported'), (error: Error & { status?: number }) => error);

  it("refuses another application's media as a missing one, asking as the caller, before storing anything", async () => {
    const foreign = await refusal(intake.importUrls(principal('b'), owner, [{ url: 'http://site.test/v/1' }]));
    const missing = await refusal(intake.importUrls(principal('b'), owner, [{ url: 'http://site.test/v/2' }]));
    expect([foreign.status, foreign.message]).to.deep.equal([404, missing.message]);
    expect(missing.status).to.equal(404);
    expect(asked.at(-2)).to.deep.equal({ kind: 'application', applicationId: 'b', subject: 'app:b' });
  });

  it('refuses the whole import when one of its URLs is not the caller’s', async () => {
    const error = await refusal(intake.importUrls(principal('a'), owner, [{ url: 'http://site.test/v/1' }, { url: 'http://site.test/v/2' }]));
    expect(error.status).to.equal(404);
  });

  it('never takes a stored media as the proxy to download', async () => {
    const error = await refusal(intake.importUrls(principal('a'), owner, [{ url: 'https://example.org/clip.mp4', proxyUrl: 'http://site.test/v/1' }]));
    expect(error.status).to.equal(400);
    expect(error.message).to.match(/proxyUrl/);
  });

  it('still checks a URL no provider recognizes as a web URL', async () => {
    const error = await refusal(intake.importUrls(principal('a'), owner, [{ url: 'file:///etc/passwd' }]));
    expect(error.status).to.equal(400);
  });
});
