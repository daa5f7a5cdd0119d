import { randomBytes } from 'node:crypto';
import { hashSecret, NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { ApiKeyDoc, ApiKeyUseDoc } from '../models/apiKey.js';

/** How many of a key's latest requests are kept and shown. */
export const AUDIT_LENGTH = 100;

const API_KEY = /^ak_[0-9a-f]{64}$/;

/** "ak_" and 64 lowercase hex characters (32 random bytes), as VideoCMS makes them. */
export function newApiKey(): string {
  return `ak_${randomBytes(32).toString('hex')}`;
}

export function isApiKey(credential: string): boolean {
  return API_KEY.test(credential);
}

/** What a list shows of a key: its first 8 characters. */
export function apiKeyPrefix(key: string): string {
  return `${key.slice(0, 8)}...`;
}

export interface ApiKeyUse {
  method: string;
  path: string;
  ip: string;
}

/** A user's VideoCMS API keys: made, listed, revoked, checked on use and audited. */
export class ApiKeys {
  constructor(
    private readonly keys: Model<ApiKeyDoc>,
    private readonly uses: Model<ApiKeyUseDoc>,
    private readonly counters: NumericIds,
    private readonly now: () => number = Date.now,
  ) {}

  /** The new key in clear, which only this answer ever contains. */
  async create(owner: string, name: string, expiresAt: Date | null): Promise<{ doc: ApiKeyDoc; key: string }> {
    const key = newApiKey();
    const created = await this.keys.create({ _id: hashSecret(key), id: await this.counters.next('apikey'), owner, name, prefix: apiKeyPrefix(key), expiresAt });
    return { doc: created.toObject(), key };
  }

  async list(owner: string): Promise<ApiKeyDoc[]> {
    return this.keys.find({ owner }).sort({ id: 1 }).lean<ApiKeyDoc[]>();
  }

  /** Revokes at once: the key is gone before its audit rows are. */
  async remove(owner: string, id: number): Promise<void> {
    const { deletedCount } = await this.keys.deleteOne({ id, owner });
    if (!deletedCount) throw new NotFoundError('api key not found');
    await this.uses.deleteMany({ apiKeyId: id });
  }

  /** The key's latest requests, newest first. */
  async audit(owner: string, id: number): Promise<ApiKeyUseDoc[]> {
    const key = await this.keys.findOne({ id, owner }).lean<ApiKeyDoc>();
    if (!key) throw new NotFoundError('api key not found');
    const first = Math.max(1, key.uses - AUDIT_LENGTH + 1);
    const ids = Array.from({ length: key.uses - first + 1 }, (_, i) => `${id}:${first + i}`);
    const rows = ids.length ? await this.uses.find({ _id: { $in: ids } }).lean<ApiKeyUseDoc[]>() : [];
    return rows.sort((a, b) => b.seq - a.seq);
  }

  /** The key this credential is, if it exists and has not expired. */
  async find(credential: string): Promise<ApiKeyDoc | undefined> {
    if (!isApiKey(credential)) return undefined;
    const key = await this.keys.findById(hashSecret(credential)).lean<ApiKeyDoc>();
    if (!key || (key.expiresAt && key.expiresAt.getTime() <= this.now())) return undefined;
    return key;
  }

  /** Stamps last_used_at and writes the audit row; only the last AUDIT_LENGTH rows are kept. */
  async recordUse(key: ApiKeyDoc, use: ApiKeyUse): Promise<void> {
    const now = new Date(this.now());
    const updated = await this.keys.findOneAndUpdate({ _id: key._id }, { $set: { lastUsedAt: now }, $inc: { uses: 1 } }, { returnDocument: 'after' }).lean<ApiKeyDoc>();
    if (!updated) return;
    const seq = updated.uses;
    await Promise.all([
      this.uses.create({ _id: `${key.id}:${seq}`, apiKeyId: key.id, seq, owner: key.owner, ...use }),
      seq > AUDIT_LENGTH ? this.uses.deleteOne({ _id: `${key.id}:${seq - AUDIT_LENGTH}` }) : undefined,
    ]);
  }
}
