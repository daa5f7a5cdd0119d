import { expect } from 'chai';
import type { Context } from 'koa';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import winston from 'winston';
import { openTestDatabase, testRoot } from '../../../test/support/globalDatabase.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { ApplicationDirectory } from '../identity/applicationDirectory.js';
import { Applications } from '../identity/applications.js';
import { Catalog } from '../identity/catalog.js';
import { IdentityChanges } from '../identity/identityChanges.js';
import { identityModels, type IdentityModels } from '../identity/models.js';
import { AccessTokens } from './accessTokens.js';
import { bearerAuthenticator } from './bearer.js';
import { TokenKeyRing } from './tokenKeys.js';

/** One process of the platform as far as tokens go: its own directory and change poller on the shared database. */
async function processOn(models: IdentityModels, secretsDir: string) {
  const changes = new IdentityChanges(models, winston.createLogger({ silent: true }), 50);
  const directory = new ApplicationDirectory(models, changes);
  await directory.load();
  const catalog = new Catalog();
  catalog.addScopes('publish', [{ id: 'publish', description: 'p' }, { id: 'publish.extra', description: 'x' }]);
  const tokens = new AccessTokens(await new TokenKeyRing(secretsDir).load());
  const applications = new Applications(models, catalog, directory, changes);
  const bearer = bearerAuthenticator(tokens, directory);
  const check = (token: string) => {
    const ctx = { get: () => `Bearer ${token}`, state: {} } as unknown as Context;
    return Promise.resolve()
      .then(() => bearer(ctx))
      .then((principal) => principal, (error: Error) => error.message);
  };
  changes.start();
  return { changes, directory, tokens, applications, check };
}

describe('self-contained access tokens', () => {
  let models: IdentityModels;
  let secretsDir: string;
  let a: Awaited<ReturnType<typeof processOn>>;
  let b: Awaited<ReturnType<typeof processOn>>;

  before(async () => {
    models = identityModels(await openTestDatabase('tokens'));
    await Promise.all(Object.values(models).map((model) => model.init()));
    secretsDir = await mkdtemp(path.join(testRoot(), 'secrets-'));
    [a, b] = [await processOn(models, secretsDir), await processOn(models, secretsDir)];
  });
  after(async () => {
    await Promise.all([a?.changes.stop(), b?.changes.stop()]);
  });

  const issue = (process: typeof a, app: { id: string; clientId: string }, scopes = ['publish'], lifetime = 60) =>
    process.tokens.issue({ applicationId: app.id, clientId: app.clientId, scopes, generation: process.directory.byId(app.id)!.generation, expiresAt: Math.floor(Date.now() / 1000) + lifetime });

  it('are checked by any process sharing the keys, and refused when altered, expired or unknown', async () => {
    const app = await a.applications.create({ name: 'One', scopes: ['publish'] });
    const { token } = issue(a, app);
    expect(await b.check(token)).to.deep.include({ applicationId: app.id, scopes: ['publish'], scheme: 'bearer' });
    const [prefix, kid, payload, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.s = ['publish', 'publish.extra'];
    expect(await b.check(`${prefix}.${kid}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`)).to.equal('Token not found or expired');
    expect(await b.check(issue(a, app, ['publish'], -1).token)).to.equal('Token not found or expired');
    expect(await b.check('opaque-token-of-another-system')).to.equal('Token not found or expired');
  });

  it('stop working in every process within a poll when the application is deleted, its secret renewed or the token revoked', async () => {
    const deleted = await a.applications.create({ name: 'Deleted', scopes: ['publish'] });
    const renewed = await a.applications.create({ name: 'Renewed', scopes: ['publish'] });
    const revokedApp = await a.applications.create({ name: 'Revoked', scopes: ['publish'] });
    const tokens = { deleted: issue(a, deleted).token, renewed: issue(a, renewed).token, revoked: issue(a, revokedApp) };
    await waitFor(async () => typeof (await b.check(tokens.revoked.token)) === 'object', 5000, 'process b to know the new applications');
    await a.applications.remove(deleted.id);
    await a.applications.renewSecret(renewed.id);
    await a.changes.publish({ kind: 'token', applicationId: revokedApp.id, jti: tokens.revoked.claims.jti, expiresAt: new Date(tokens.revoked.claims.expiresAt * 1000) });
    for (const token of [tokens.deleted, tokens.renewed, tokens.revoked.token]) expect(await a.check(token)).to.equal('Token not found or expired');
    await waitFor(async () => {
      const answers = await Promise.all([tokens.deleted, tokens.renewed, tokens.revoked.token].map((token) => b.check(token)));
      return answers.every((answer) => answer === 'Token not found or expired');
    }, 5000, 'process b to refuse the three tokens');
    expect(await b.check(issue(a, revokedApp).token)).to.be.an('object');
  });

  it('lose a scope the application no longer has, in every process', async () => {
    const app = await a.applications.create({ name: 'Narrowed', scopes: ['publish', 'publish.extra'] });
    const { token } = issue(a, app, ['publish', 'publish.extra']);
    await waitFor(async () => ((await b.check(token)) as { scopes?: string[] }).scopes?.length === 2, 5000, 'process b to see both scopes');
    await a.applications.update(app.id, { scopes: ['publish'] });
    await waitFor(async () => ((await b.check(token)) as { scopes?: string[] }).scopes?.length === 1, 5000, 'process b to drop the scope');
  });

  it('signed with a rotated key stay valid until they expire, and a second rotation voids them', async () => {
    const app = await a.applications.create({ name: 'Keys', scopes: ['publish'] });
    const before = issue(a, app).token;
    await TokenKeyRing.rotate(secretsDir);
    const fresh = await processOn(models, secretsDir);
    try {
      const after = issue(fresh, app).token;
      expect(after.split('.')[1]).to.not.equal(before.split('.')[1]);
      expect(await fresh.check(before)).to.be.an('object');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await a.check(after)).to.be.an('object', 'a process that has not reloaded its keys learns the new one');
      await TokenKeyRing.rotate(secretsDir);
      const third = await processOn(models, secretsDir);
      expect(await third.check(before)).to.equal('Token not found or expired');
      expect(await third.check(after)).to.be.an('object');
      await third.changes.stop();
    } finally {
      await fresh.changes.stop();
    }
  });
});
