import { randomUUID } from 'node:crypto';
import { generateSecret, hashSecret, UnauthorizedError, type Model } from '@mediahost/core';
import type { BrowserGrantDoc } from '../models/browserAccess.js';
import type { Claims } from '../models/claims.js';
import type { EditorUserDoc } from '../models/editorUser.js';

export interface BrowserSession {
  userId: number;
  instanceId: number;
}

/** SSO: a partner's server gets a one-time login token for a user; the user's browser trades it for a session. */
export class Sso {
  constructor(
    private readonly grants: Model<BrowserGrantDoc>,
    private readonly claims: Claims,
    private readonly loginTokenMs: number,
    private readonly sessionMs: number,
  ) {}

  async loginToken(user: EditorUserDoc): Promise<string> {
    const token = randomUUID();
    await this.grants.create({ _id: hashSecret(token), kind: 'loginToken', userId: user._id, instanceId: user.instanceId, expiresAt: new Date(Date.now() + this.loginTokenMs) });
    return token;
  }

  /** Spends the token (a second use finds nothing) and opens a session; returns the session cookie's value. */
  async login(token: string): Promise<{ cookie: string; session: BrowserSession }> {
    const key = hashSecret(token);
    const grant = await this.grants.findById(key).lean<BrowserGrantDoc>();
    const refused = () => new UnauthorizedError('Invalid or expired login token', 'invalid_token');
    if (!grant || grant.kind !== 'loginToken' || grant.expiresAt.getTime() <= Date.now()) throw refused();
    if (!(await this.claims.claim(`login:${key}`))) throw refused();
    await this.grants.deleteOne({ _id: key });
    const cookie = generateSecret();
    const session = { userId: grant.userId, instanceId: grant.instanceId };
    await this.grants.create({ _id: hashSecret(cookie), kind: 'session', ...session, expiresAt: new Date(Date.now() + this.sessionMs) });
    return { cookie, session };
  }

  async session(cookie: string | undefined): Promise<BrowserSession | undefined> {
    if (!cookie) return undefined;
    const grant = await this.grants.findById(hashSecret(cookie)).lean<BrowserGrantDoc>();
    if (!grant || grant.kind !== 'session' || grant.expiresAt.getTime() <= Date.now()) return undefined;
    return { userId: grant.userId, instanceId: grant.instanceId };
  }

  async purgeExpired(): Promise<void> {
    await this.grants.deleteMany({ expiresAt: { $lte: new Date() } });
    await this.claims.purge('login', new Date(Date.now() - this.loginTokenMs - 24 * 3600_000));
  }
}
