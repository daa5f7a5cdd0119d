import type { Model } from '@mediahost/core';
import type { UsageDoc, UsageKind } from '../models/usage.js';
import { EVERYONE, usageDayId, type UsageDayDoc } from '../models/usageDay.js';
import { FlushCoverage } from './flushCoverage.js';

const DAY_MS = 86_400_000;
/** Summaries read at once: a year of days is 365 reads by _id. */
const PARALLEL_READS = 16;
/** Summaries kept in memory: a summary never changes once written (the first insert of its _id stands). */
const CACHED_SUMMARIES = 20_000;


/** An owner's (or everyone's) usage of one kind over a span of days, by day and by file, domain and owner. */
export interface UsageFigures {
  byDay: Map<number, number>;
  byFile: Map<string, number>;
  byLabel: Map<string, number>;
  byOwner: Map<string, number>;
}

function add<K>(map: Map<K, number>, key: K | null, value: number): void {
  if (key !== null) map.set(key, (map.get(key) ?? 0) + value);
}

async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Reads usage as the summaries of closed days (by _id) plus the flush documents no summary covers (the open day,
 * and what reached the database after its day was summarised): the cost grows with the span asked for, not with
 * the history kept.
 */
export class UsageLedger {
  private readonly summaries = new Map<string, UsageDayDoc>();

  constructor(
    private readonly usage: Model<UsageDoc>,
    private readonly days: Model<UsageDayDoc>,
  ) {}

  /**
   * A day's summary: from memory once read (a year's chart is otherwise 365 reads per request, which under load
   * queued behind each other for tens of seconds). An absent one is asked again each time: the compactor of any
   * process may write it, and remove the flush documents it covers, at any moment.
   */
  private async summary(id: string): Promise<UsageDayDoc | null> {
    const kept = this.summaries.get(id);
    if (kept) return kept;
    const read = await this.days.findById(id).lean<UsageDayDoc>();
    if (!read) return null;
    if (this.summaries.size >= CACHED_SUMMARIES) this.summaries.delete(this.summaries.keys().next().value!);
    this.summaries.set(id, read);
    return read;
  }

  async figures(kind: UsageKind, owner: string | null, first: Date, last: Date): Promise<UsageFigures> {
    const dayStarts: number[] = [];
    for (let day = first.getTime(); day <= last.getTime(); day += DAY_MS) dayStarts.push(day);
    const summaries = await mapLimited(dayStarts, PARALLEL_READS, (day) => this.summary(usageDayId(kind, owner ?? EVERYONE, new Date(day))));
    const figures: UsageFigures = { byDay: new Map(), byFile: new Map(), byLabel: new Map(), byOwner: new Map() };
    const coverage = new Map<number, FlushCoverage>();
    for (const summary of summaries) {
      if (!summary) continue;
      const day = new Date(summary.day).getTime();
      coverage.set(day, new FlushCoverage(summary.covered));
      add(figures.byDay, day, summary.total);
      for (const { k, v } of summary.files) add(figures.byFile, k, v);
      for (const { k, v } of summary.labels) add(figures.byLabel, k, v);
      if (owner) add(figures.byOwner, owner, summary.total);
      else for (const { k, v } of summary.owners) add(figures.byOwner, k, v);
    }
    const open = await this.usage.find({ kind, ...(owner ? { owner } : {}), day: { $gte: first, $lte: last } }).lean<UsageDoc[]>();
    for (const doc of open) {
      const day = new Date(doc.day).getTime();
      if (coverage.get(day)?.covers(doc._id)) continue;
      add(figures.byDay, day, doc.value);
      add(figures.byFile, doc.fileId, doc.value);
      add(figures.byLabel, doc.label, doc.value);
      add(figures.byOwner, doc.owner, doc.value);
    }
    return figures;
  }
}
