import type { Model, PluginAuth } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { UsageDoc, UsageKind } from '../models/usage.js';
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

/** Reads the usage buckets: sums at read time over the (kind, owner, day) index, so a year of buckets stays a range scan. */
export class UsageStats {
  constructor(
    private readonly usage: Model<UsageDoc>,
    private readonly files: Model<FileDoc>,
    private readonly auth: PluginAuth,
  ) {}

  async series(kind: UsageKind, owner: string | null, from: Date, to: Date): Promise<StatPoint[]> {
    const first = utcDay(from);
    const sums = await this.usage.aggregate<{ _id: Date; value: number }>([
      { $match: this.match(kind, owner, first, to) },
      { $group: { _id: '$day', value: { $sum: '$value' } } },
    ]);
    const byDay = new Map(sums.map((s) => [new Date(s._id).getTime(), s.value]));
    const points: StatPoint[] = [];
    for (let day = first.getTime(); day <= to.getTime(); day += DAY_MS) points.push({ Timestamp: day, Bytes: Math.round(byDay.get(day) ?? 0) });
    return points;
  }

  async top(kind: UsageKind, owner: string | null, from: Date, to: Date, by: TopBy): Promise<TopEntry[]> {
    const key = by === 'files' ? '$fileId' : by === 'users' ? '$owner' : '$label';
    const sums = await this.usage.aggregate<{ _id: string | null; value: number }>([
      { $match: this.match(kind, owner, utcDay(from), to) },
      { $group: { _id: key, value: { $sum: '$value' } } },
      { $sort: { value: -1 } },
      { $limit: TOP },
    ]);
    if (by === 'domains') return sums.map((s) => ({ ID: 0, Name: s._id || 'Unknown', value: Math.round(s.value) }));
    if (by === 'users') return Promise.all(sums.map(async (s) => ({ ...(await this.userEntry(s._id ?? '')), value: Math.round(s.value) })));
    const names = await this.linksOf(sums.map((s) => s._id).filter((id): id is string => !!id));
    return sums.map((s) => ({ ...(names.get(s._id ?? '') ?? { ID: 0, Name: 'Unknown File' }), value: Math.round(s.value) }));
  }

  /** The largest files now (source bytes), or the owners holding the most. */
  async storageTop(owner: string | null, by: 'files' | 'users'): Promise<TopEntry[]> {
    if (by === 'users') {
      const sums = await this.files.aggregate<{ _id: string; value: number }>([
        { $group: { _id: '$owner', value: { $sum: '$size' } } },
        { $sort: { value: -1 } },
        { $limit: TOP },
      ]);
      return Promise.all(sums.map(async (s) => ({ ...(await this.userEntry(s._id)), value: s.value })));
    }
    const largest = await this.files.find(owner ? { owner } : {}, { linkId: 1, name: 1, size: 1 }).sort({ size: -1 }).limit(TOP).lean<Pick<FileDoc, 'linkId' | 'name' | 'size'>[]>();
    return largest.map((f) => ({ ID: f.linkId, Name: f.name, value: f.size }));
  }

  private match(kind: UsageKind, owner: string | null, first: Date, to: Date) {
    return { kind, ...(owner ? { owner } : {}), day: { $gte: first, $lte: to } };
  }

  private async linksOf(fileIds: string[]): Promise<Map<string, { ID: number; Name: string }>> {
    const found = await this.files.find({ _id: { $in: fileIds } }, { linkId: 1, name: 1 }).lean<Pick<FileDoc, '_id' | 'linkId' | 'name'>[]>();
    return new Map(found.map((f) => [f._id, { ID: f.linkId, Name: f.name }]));
  }

  private async userEntry(owner: string): Promise<{ ID: number; Name: string }> {
    if (!owner.startsWith('user:')) return { ID: 0, Name: owner };
    const id = owner.slice('user:'.length);
    const user = await this.auth.findUser(id);
    return { ID: Number(id) || 0, Name: user?.email ?? 'Deleted User' };
  }
}
