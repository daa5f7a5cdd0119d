import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from './principal.js';
import type { SecretSealer } from '../credentials/sealedSecrets.js';
import { generateSecret, hashSecret } from '../credentials/secrets.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { ApplicationDirectory, DirectoryApplication } from './applicationDirectory.js';
import type { Catalog } from './catalog.js';
import type { IdentityChanges } from './identityChanges.js';
import type { ApplicationDoc, IdentityModels } from './models.js';
import { assertObjectId } from './mongoErrors.js';

export interface PublicApplication {
  id: string;
  name: string;
  clientId: string;
  scopes: string[];
  createdAt?: Date;
}

/** Returned once, at creation or secret renewal: the secret is stored only as a hash. */
export interface ApplicationWithSecret extends PublicApplication {
  clientSecret: string;
}

const applicationFields = {
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.string()),
};
const newApplicationSchema = z.strictObject({ ...applicationFields, scopes: applicationFields.scopes.default([]) });
/** Without defaults: `.partial()` keeps them, and a rename would wipe the scopes (and revoke every token). */
const applicationChangesSchema = z.strictObject(applicationFields).partial();

const toPublic = (app: ApplicationDoc): PublicApplication => ({
  id: String(app._id),
  name: app.name,
  clientId: app.clientId,
  scopes: app.scopes,
  createdAt: (app as { createdAt?: Date }).createdAt,
});

/** Web-service clients: an OAuth2 client id, a hashed secret and the scopes it may be granted. */
export class Applications {
  constructor(
    private readonly models: IdentityModels,
    private readonly catalog: Catalog,
    private readonly directory: ApplicationDirectory,
    private readonly changes: IdentityChanges,
    private readonly sealer?: SecretSealer,
  ) {}

  private principalOf(app: DirectoryApplication, scheme: string): Principal {
    return { applicationId: app.id, clientId: app.clientId, scopes: app.scopes, scheme, subject: `app:${app.id}` };
  }

  /** For schemes that send the secret itself (WEVSIMPLE, OpenVidu Basic). */
  async principalBySecret(secret: string, scheme: string): Promise<Principal | undefined> {
    const app = await this.directory.bySecretHash(hashSecret(secret));
    return app ? this.principalOf(app, scheme) : undefined;
  }

  /** For HMAC schemes: the application's secret in clear, if it was issued since secrets are sealed. */
  async signingSecret(clientId: string, scheme: string): Promise<{ principal: Principal; secret: string } | undefined> {
    const app = await this.directory.byClientId(clientId);
    const secret = app?.sealedSecret ? this.sealer?.open(app.sealedSecret) : undefined;
    return app && secret !== undefined ? { principal: this.principalOf(app, scheme), secret } : undefined;
  }

  private changed(applicationId: string): Promise<void> {
    return this.changes.publish({ kind: 'application', applicationId });
  }

  async create(input: unknown): Promise<ApplicationWithSecret> {
    const data = parseInput(newApplicationSchema, input);
    this.catalog.assertScopes(data.scopes);
    const clientSecret = generateSecret();
    const app = await this.models.Application.create({
      name: data.name,
      scopes: data.scopes,
      clientId: randomBytes(16).toString('hex'),
      secretHash: hashSecret(clientSecret),
      sealedSecret: this.sealer?.seal(clientSecret),
      generation: Date.now(),
    });
    await this.changed(String(app._id));
    return { ...toPublic(app.toObject()), clientSecret };
  }

  async list(): Promise<PublicApplication[]> {
    return (await this.models.Application.find().sort({ name: 1 }).lean<ApplicationDoc[]>()).map(toPublic);
  }

  async update(id: string, input: unknown): Promise<PublicApplication> {
    const changes = parseInput(applicationChangesSchema, input);
    assertObjectId(id, 'Application');
    if (changes.scopes) this.catalog.assertScopes(changes.scopes);
    const app = await this.models.Application.findByIdAndUpdate(id, changes, { returnDocument: 'after' }).lean<ApplicationDoc>();
    if (!app) throw new NotFoundError(`Application ${id} not found`);
    // Tokens keep their scopes only while the application has them: a removed scope is gone from them at once.
    await this.changed(id);
    return toPublic(app);
  }

  /** Issues a new secret; the old one and every token obtained with it stop working. */
  async renewSecret(id: string): Promise<ApplicationWithSecret> {
    assertObjectId(id, 'Application');
    const clientSecret = generateSecret();
    const app = await this.models.Application.findByIdAndUpdate(
      id,
      // A new generation voids every token issued under the old secret.
      { secretHash: hashSecret(clientSecret), generation: Date.now(), ...(this.sealer ? { sealedSecret: this.sealer.seal(clientSecret) } : {}) },
      { returnDocument: 'after' },
    ).lean<ApplicationDoc>();
    if (!app) throw new NotFoundError(`Application ${id} not found`);
    await this.changed(id);
    return { ...toPublic(app), clientSecret };
  }

  async remove(id: string): Promise<void> {
    assertObjectId(id, 'Application');
    const { deletedCount } = await this.models.Application.deleteOne({ _id: id });
    if (!deletedCount) throw new NotFoundError(`Application ${id} not found`);
    await this.changed(id);
  }
}
