import type { Model, PluginAuth } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { UsageKind } from '../models/usage.js';
import type { StorageIndex } from './storageIndex.js';
import type { UsageLedger } from './usageLedger.js';
import { utcDay } from './usageMeter.js';

const DAY_MS = 86_400_000;
const TOP = 10;

/** VideoCMS's chart series: one point per UTC day (our buckets are daily), Timestamp in milliseconds, zeros filled in. */
export interface StatPoint {
  Timestamp: number;
  Bytes: number;
}

/** VideoCMS's top lists: a link (ID = LinkID), a user (ID = user id) or a domain (ID 0). */
export interface TopEntry {
  ID: number;
  Name: string;
  value: number;
}

export type TopBy = 'files' | 'users' | 'domains';

/** Reads usage for the charts and top lists through the ledger: closed days from their summaries, the rest summed. */
export class UsageStats {
  constructor(
    private readonly ledger: UsageLedger,
    private readonly files: Model<FileDoc>,
    private readonly storage: StorageIndex,
    private readonly auth: PluginAuth,
  ) {}

  async series(kind: UsageKind, owner: string | null, from: Date, to: Date): Promise<StatPoint[]> {
    const first = utcDay(from);
    const { byDay } = await this.ledger.figures(kind, owner, first, to);
    const points: StatPoint[] = [];
    for (let day = first.getTime(); day <= to.getTime(); day += DAY_MS) points.push({ Timestamp: day, Bytes: Math.round(byDay.get(day) ?? 0) });
    return points;
  }

  async top(kind: UsageKind, owner: string | null, from: Date, to: Date, by: TopBy): Promise<TopEntry[]> {
    const figures = await this.ledger.figures(kind, owner, utcDay(from), to);
    const ranked = [...(by === 'files' ? figures.byFile : by === 'users' ? figures.byOwner : figures.byLabel)].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    if (by === 'domains') return ranked.map(([label, value]) => ({ ID: 0, Name: label || 'Unknown', value: Math.round(value) }));
    if (by === 'users') return Promise.all(ranked.map(async ([user, value]) => ({ ...(await this.userEntry(user)), value: Math.round(value) })));
    const names = await this.linksOf(ranked.map(([fileId]) => fileId));
    return ranked.map(([fileId, value]) => ({ ...(names.get(fileId) ?? { ID: 0, Name: 'Unknown File' }), value: Math.round(value) }));
  }

  /** The largest files now (source bytes), or the owners holding the most. */
  async storageTop(owner: string | null, by: 'files' | 'users'): Promise<TopEntry[]> {
    if (by === 'users') {
      const owners = await this.storage.largestOwners(TOP);
      return Promise.all(owners.map(async ([user, value]) => ({ ...(await this.userEntry(user)), value })));
    }
    const largest = await this.storage.largestFiles(owner, TOP);
    const names = await this.linksOf(largest.map(([fileId]) => fileId));
    // A file deleted since the index last heard has no link left: it is left out rather than shown as Unknown.
    return largest.filter(([fileId]) => names.has(fileId)).map(([fileId, value]) => ({ ...names.get(fileId)!, value }));
  }

  private async linksOf(fileIds: string[]): Promise<Map<string, { ID: number; Name: string }>> {
    // One lookup by _id each: the embedded database answers $in by reading the whole collection.
    const found = await Promise.all(fileIds.map((id) => this.files.findById(id, { linkId: 1, name: 1 }).lean<Pick<FileDoc, '_id' | 'linkId' | 'name'>>()));
    return new Map(found.filter((f) => !!f).map((f) => [f._id, { ID: f.linkId, Name: f.name }]));
  }

  private async userEntry(owner: string): Promise<{ ID: number; Name: string }> {
    if (!owner.startsWith('user:')) return { ID: 0, Name: owner };
    const id = owner.slice('user:'.length);
    const user = await this.auth.findUser(id);
    return { ID: Number(id) || 0, Name: user?.email ?? 'Deleted User' };
  }
}
