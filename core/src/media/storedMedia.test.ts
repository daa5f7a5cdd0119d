import { expect } from 'chai';
import { NotFoundError } from '../errors.js';
import { MEDIA_NOT_FOUND, StoredMediaRegistry, type MediaRequester, type StoredMedia, type StoredMediaResolver } from './storedMedia.js';

const alice: MediaRequester = { kind: 'application', applicationId: 'a', subject: 'app:a' };
const bob: MediaRequester = { kind: 'application', applicationId: 'b', subject: 'app:b' };

/** Videos at http://site/v/<id>, each readable by its owner only. */
function fakeProvider(owners: Record<string, string>, asked: string[] = []): StoredMediaResolver {
  const idOf = (url: URL) => (url.origin === 'http://site' ? /^\/v\/(\w+)$/.exec(url.pathname)?.[1] : undefined);
  return {
    provider: 'fake',
    recognizes: (url) => idOf(url) !== undefined,
    async resolve(url, requester) {
      const id = idOf(url)!;
      asked.push(id);
      if (requester.kind !== 'application' || owners[id] !== requester.subject) return undefined;
      return { provider: 'fake', id, title: id, durationSeconds: 3, fileName: 'source.mp4', useLocalCopy: (use) => use(`/stored/${id}`) } satisfies StoredMedia;
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<NotFoundError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, 'a refusal').to.be.instanceOf(NotFoundError);
  return error as NotFoundError;
}

describe('StoredMediaRegistry', () => {
  it('leaves a URL no provider recognizes to the caller, without asking any provider', async () => {
    const asked: string[] = [];
    const registry = new StoredMediaRegistry();
    registry.register(fakeProvider({ one: 'app:a' }, asked));
    for (const url of ['http://elsewhere/v/one', 'http://site/w/one', 'not a url', '/v/one']) {
      expect(registry.recognizes(url), url).to.equal(false);
      expect(await registry.resolve(url, alice), url).to.equal(undefined);
    }
    expect(asked).to.deep.equal([]);
  });

  it("opens the owner's media through the provider that recognizes the URL", async () => {
    const registry = new StoredMediaRegistry();
    registry.register(fakeProvider({}));
    registry.register(fakeProvider({ one: 'app:a' }));
    // the first provider that recognizes the URL answers: one provider per URL
    await refusal(registry.resolve('http://site/v/one', alice));

    const only = new StoredMediaRegistry();
    only.register(fakeProvider({ one: 'app:a' }));
    const media = await only.resolve('http://site/v/one', alice);
    expect(media).to.include({ provider: 'fake', id: 'one', durationSeconds: 3 });
    expect(await media!.useLocalCopy(async (file) => file)).to.equal('/stored/one');
  });

  it("refuses another tenant's media exactly as a missing one", async () => {
    const registry = new StoredMediaRegistry();
    registry.register(fakeProvider({ one: 'app:a' }));
    const foreign = await refusal(registry.resolve('http://site/v/one', bob));
    const missing = await refusal(registry.resolve('http://site/v/nothing', alice));
    expect(foreign.message).to.equal(MEDIA_NOT_FOUND);
    expect(missing.message).to.equal(foreign.message);
    expect(missing.status).to.equal(foreign.status).and.to.equal(404);
  });

  it('lists the back-office actions consumers offer', () => {
    const registry = new StoredMediaRegistry();
    expect(registry.openers()).to.deep.equal([]);
    registry.addOpener({ label: 'Open in editor', action: '/be/editor/api/stored-media' });
    expect(registry.openers()).to.deep.equal([{ label: 'Open in editor', action: '/be/editor/api/stored-media' }]);
  });
});
