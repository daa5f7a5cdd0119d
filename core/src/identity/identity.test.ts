import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { openTestDatabase } from '../../../test/support/globalDatabase.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { SecretSealer } from '../credentials/sealedSecrets.js';
import winston from 'winston';
import { Applications } from './applications.js';
import { ApplicationDirectory } from './applicationDirectory.js';
import { IdentityChanges } from './identityChanges.js';
import { ADMIN_ROLE, Catalog, corePermissionSpecs, corePermissions } from './catalog.js';
import { OPERATOR } from './delegation.js';
import { identityModels, type IdentityModels } from './models.js';
import { Roles } from './roles.js';
import { Users } from './users.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('identity services', () => {
  let db: Connection;
  let models: IdentityModels;
  let users: Users;
  let roles: Roles;
  let applications: Applications;
  let changes: IdentityChanges;
  let directory: ApplicationDirectory;

  before(async () => {
    db = await openTestDatabase('identity');
    models = identityModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    const catalog = new Catalog();
    catalog.addPermissions('core', corePermissionSpecs);
    catalog.addScopes('publish', [{ id: 'publish', description: 'p' }]);
    users = new Users(models);
    roles = new Roles(models, catalog);
    changes = new IdentityChanges(models, winston.createLogger({ silent: true }));
    directory = new ApplicationDirectory(models, changes);
    await directory.load();
    applications = new Applications(models, catalog, directory, changes, new SecretSealer('test key'));
  });

  describe('users', () => {
    it('stores an argon2 hash, never the password, and authenticates with it', async () => {
      const user = await users.create({ email: 'Ada@Example.org', password: 'analytical engine' }, OPERATOR);
      expect(user.email).to.equal('ada@example.org');
      const stored = await models.User.findById(user.id).lean();
      expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
      expect(JSON.stringify(stored)).to.not.contain('analytical engine');
      expect((await users.authenticate('ada@example.org', 'analytical engine'))?.id).to.equal(user.id);
      expect(await users.authenticate('ada@example.org', 'difference engine')).to.equal(undefined);
      expect(await users.authenticate('nobody@example.org', 'analytical engine')).to.equal(undefined);
    });

    it('refuses a duplicate email with 409, a short password and an unknown role with 400', async () => {
      await users.create({ email: 'dup@example.org', password: 'long enough' }, OPERATOR);
      expect(await rejection(users.create({ email: 'DUP@example.org', password: 'long enough' }, OPERATOR))).to.be.instanceOf(ConflictError);
      expect(await rejection(users.create({ email: 'short@example.org', password: 'short' }, OPERATOR))).to.be.instanceOf(BadRequestError);
      expect(await rejection(users.create({ email: 'r@example.org', password: 'long enough', roles: ['ghost'] }, OPERATOR))).to.be.instanceOf(BadRequestError);
      expect(await rejection(users.get('not-an-id'))).to.be.instanceOf(NotFoundError);
    });

    it('grants the permissions of its roles; admin grants everything', async () => {
      await roles.ensureAdminRole();
      await roles.create({ name: 'operators', permissions: [corePermissions.manageApplications] }, OPERATOR);
      const admin = await users.create({ email: 'root@example.org', password: 'long enough', roles: [ADMIN_ROLE] }, OPERATOR);
      const operator = await users.create({ email: 'op@example.org', password: 'long enough', roles: ['operators'] }, OPERATOR);
      expect(Users.grants(await users.permissionsOf(admin.id), corePermissions.manageUsers)).to.equal(true);
      const operatorPermissions = await users.permissionsOf(operator.id);
      expect(Users.grants(operatorPermissions, corePermissions.manageApplications)).to.equal(true);
      expect(Users.grants(operatorPermissions, corePermissions.manageUsers)).to.equal(false);
    });
  });

  describe('roles', () => {
    it('refuses unknown permissions and protects the admin role', async () => {
      expect(await rejection(roles.create({ name: 'x', permissions: ['nope'] }, OPERATOR))).to.be.instanceOf(BadRequestError);
      await roles.ensureAdminRole();
      const admin = (await roles.list()).find((role) => role.name === ADMIN_ROLE)!;
      expect(await rejection(roles.remove(admin.id, OPERATOR))).to.be.instanceOf(BadRequestError);
      expect(await rejection(roles.update(admin.id, { permissions: [] }, OPERATOR))).to.be.instanceOf(BadRequestError);
    });

    it('removes a deleted role from its users', async () => {
      const role = await roles.create({ name: 'temporary', permissions: [] }, OPERATOR);
      const user = await users.create({ email: 'temp@example.org', password: 'long enough', roles: ['temporary'] }, OPERATOR);
      await roles.remove(role.id, OPERATOR);
      expect((await users.get(user.id)).roles).to.deep.equal([]);
    });
  });

  describe('applications', () => {
    it('returns the secret once and stores only its hash', async () => {
      const created = await applications.create({ name: 'CMS', scopes: ['publish'] });
      expect(created.clientSecret).to.have.length.greaterThan(40);
      const stored = await models.Application.findOne({ clientId: created.clientId }).lean();
      expect(JSON.stringify(stored)).to.not.contain(created.clientSecret);
      expect((await applications.list()).find((a) => a.id === created.id)).to.not.have.property('clientSecret');
    });

    it('refuses unknown scopes', async () => {
      expect(await rejection(applications.create({ name: 'x', scopes: ['editor'] }))).to.be.instanceOf(BadRequestError);
    });

    it('moves to a new generation when its secret is renewed, and leaves the directory when it is deleted', async () => {
      const created = await applications.create({ name: 'Rotating', scopes: ['publish'] });
      const before = directory.byId(created.id)!.generation;
      const renewed = await applications.renewSecret(created.id);
      expect(renewed.clientSecret).to.not.equal(created.clientSecret);
      expect(directory.byId(created.id)!.generation).to.not.equal(before);
      await applications.remove(created.id);
      expect(directory.byId(created.id)).to.equal(undefined);
      expect(await rejection(applications.remove(created.id))).to.be.instanceOf(NotFoundError);
    });

    it('finds an application by its secret, and gives HMAC schemes the secret back, the renewed one after a renewal', async () => {
      const created = await applications.create({ name: 'Signing', scopes: ['publish'] });
      expect(await applications.principalBySecret(created.clientSecret, 'simple')).to.deep.include({ applicationId: created.id, clientId: created.clientId, scheme: 'simple', subject: `app:${created.id}` });
      expect(await applications.principalBySecret('not-it', 'simple')).to.equal(undefined);
      expect((await applications.signingSecret(created.clientId, 'hmac'))?.secret).to.equal(created.clientSecret);
      const renewed = await applications.renewSecret(created.id);
      expect((await applications.signingSecret(created.clientId, 'hmac'))?.secret).to.equal(renewed.clientSecret);
      expect(await applications.principalBySecret(created.clientSecret, 'simple')).to.equal(undefined);
      expect(await applications.signingSecret('unknown', 'hmac')).to.equal(undefined);
      const unsealed = new Applications(models, new Catalog(), directory, changes, new SecretSealer('another key'));
      expect(await unsealed.signingSecret(created.clientId, 'hmac')).to.equal(undefined);
    });
  });
});
