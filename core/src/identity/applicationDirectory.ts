import { Types } from 'mongoose';
import type { IdentityChange, IdentityChangeListener, IdentityChanges } from './identityChanges.js';
import type { ApplicationDoc, IdentityModels } from './models.js';

/** What the hot paths need to know of an application. */
export interface DirectoryApplication {
  id: string;
  clientId: string;
  secretHash: string;
  sealedSecret?: string;
  scopes: string[];
  generation: number;
}

const entryOf = (app: ApplicationDoc): DirectoryApplication => ({
  id: String(app._id),
  clientId: app.clientId,
  secretHash: app.secretHash,
  ...(app.sealedSecret ? { sealedSecret: app.sealedSecret } : {}),
  scopes: app.scopes,
  generation: app.generation ?? 0,
});

/**
 * Every application in memory, kept current by the identity changes every process polls: the Bearer check,
 * POST /token and the secret-based schemes find applications here without a database round trip. A lookup by
 * client id or secret that misses asks the database (an application created a moment ago in another process).
 */
export class ApplicationDirectory implements IdentityChangeListener {
  private byIdMap = new Map<string, DirectoryApplication>();
  private byClientIdMap = new Map<string, DirectoryApplication>();
  private bySecretHashMap = new Map<string, DirectoryApplication>();
  /** Revoked token ids, with when they expire (after which they need not be remembered). */
  private revoked = new Map<string, number>();
  /** Counts changes, so a database read that raced with one is not cached. */
  private changeCount = 0;
  /** Applications this process saw deleted, so a token of one never costs a database read. */
  private readonly deleted = new Set<string>();

  constructor(
    private readonly models: IdentityModels,
    private readonly changes: IdentityChanges,
  ) {
    changes.listen(this);
  }

  async load(): Promise<void> {
    const apps = await this.models.Application.find().lean<ApplicationDoc[]>();
    this.byIdMap = new Map();
    this.byClientIdMap = new Map();
    this.bySecretHashMap = new Map();
    for (const app of apps) this.put(entryOf(app));
    this.revoked = new Map();
    for (const change of await this.changes.activeRevocations()) this.revoke(change);
  }

  resync(): Promise<void> {
    return this.load();
  }

  async change(change: IdentityChange): Promise<void> {
    this.changeCount++;
    if (change.kind === 'token') this.revoke(change);
    else await this.refresh(change.applicationId);
  }

  byId(id: string): DirectoryApplication | undefined {
    return this.byIdMap.get(id);
  }

  /** byId, asking the database when this process has not heard of the application yet (unless it saw it deleted). */
  async findById(id: string): Promise<DirectoryApplication | undefined> {
    const known = this.byIdMap.get(id);
    if (known || this.deleted.has(id) || !Types.ObjectId.isValid(id)) return known;
    return this.fetch({ _id: id });
  }

  async byClientId(clientId: string): Promise<DirectoryApplication | undefined> {
    return this.byClientIdMap.get(clientId) ?? this.fetch({ clientId });
  }

  async bySecretHash(secretHash: string): Promise<DirectoryApplication | undefined> {
    return this.bySecretHashMap.get(secretHash) ?? this.fetch({ secretHash });
  }

  isRevoked(jti: string): boolean {
    const until = this.revoked.get(jti);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.revoked.delete(jti);
    return false;
  }

  private revoke(change: IdentityChange): void {
    if (change.jti && change.expiresAt) this.revoked.set(change.jti, new Date(change.expiresAt).getTime());
  }

  private async refresh(id: string): Promise<void> {
    this.remove(id);
    if (!Types.ObjectId.isValid(id)) return;
    const app = await this.models.Application.findById(id).lean<ApplicationDoc>();
    if (app) this.put(entryOf(app));
    else this.deleted.add(id);
  }

  private async fetch(filter: { clientId: string } | { secretHash: string } | { _id: string }): Promise<DirectoryApplication | undefined> {
    const before = this.changeCount;
    const app = await this.models.Application.findOne(filter).lean<ApplicationDoc>();
    if (this.changeCount !== before) return this.fetch(filter);
    if (!app) return undefined;
    const entry = entryOf(app);
    this.put(entry);
    return entry;
  }

  private put(entry: DirectoryApplication): void {
    this.remove(entry.id);
    this.byIdMap.set(entry.id, entry);
    this.byClientIdMap.set(entry.clientId, entry);
    this.bySecretHashMap.set(entry.secretHash, entry);
  }

  private remove(id: string): void {
    const old = this.byIdMap.get(id);
    if (!old) return;
    this.byIdMap.delete(id);
    this.byClientIdMap.delete(old.clientId);
    this.bySecretHashMap.delete(old.secretHash);
  }
}
