import type { ChangeFeed, Logger, Model } from '@mediahost/core';
import type { UsageDoc, UsageKind } from '../models/usage.js';
import type { UsageChange } from '../models/usageChanges.js';
import { EVERYONE, usageDayId, type KeyedValue, type UsageDayDoc } from '../models/usageDay.js';
import { coverageOf, FlushCoverage } from './flushCoverage.js';
import { utcDay } from './usageMeter.js';

/** Everyone's summary keeps this many of the day's files (an owner's keeps all of theirs): its top files are these. */
export const TOP_FILES_OF_EVERYONE = 1000;
/** Ids per removal when only some documents read can go: each `$in` is matched against every document of the collection. */
const DELETE_BATCH = 5000;
/**
 * Documents one delete by day may match: FerretDB deletes the matched ids in one SQLite statement, which takes at most
 * 32,766 variables ("too many SQL variables" beyond); one of 20,000 held the database long enough under load for the
 * driver to call the connection down.
 */
const DELETE_BY_DAY_MAX = 10_000;
/**
 * A flush document stamped this long before a compaction read the collection has landed by then: one that had not
 * would have taken longer than this from its attempt to the database.
 */
export const LANDED_WITHIN_MS = 10 * 60_000;
/** How often each process looks for closed days to summarise. */
export const COMPACT_EVERY_MS = 3600_000;
const RETRY_AFTER_MS = 60_000;

/** Time after a day's end for every process to have flushed it: two flushes, and room for a slow one. */
export const usageSettleMs = (flushSeconds: number) => 2 * flushSeconds * 1000 + 10 * 60_000;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

function sums(docs: UsageDoc[], keyOf: (doc: UsageDoc) => string | null): KeyedValue[] {
  const byKey = new Map<string, number>();
  for (const doc of docs) {
    const key = keyOf(doc);
    if (key !== null) byKey.set(key, (byKey.get(key) ?? 0) + doc.value);
  }
  return [...byKey].map(([k, v]) => ({ k, v }));
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function summaryOf(kind: UsageKind, owner: string, day: Date, docs: UsageDoc[]): UsageDayDoc {
  const files = sums(docs, (doc) => doc.fileId);
  return {
    _id: usageDayId(kind, owner, day),
    kind,
    owner,
    day,
    total: docs.reduce((total, doc) => total + doc.value, 0),
    files: owner === EVERYONE ? files.sort((a, b) => b.v - a.v).slice(0, TOP_FILES_OF_EVERYONE) : files,
    labels: sums(docs, (doc) => doc.label),
    owners: owner === EVERYONE ? sums(docs, (doc) => doc.owner) : [],
    covered: coverageOf(docs.map((doc) => doc._id)),
  };
}

/**
 * Turns each closed day's flush documents into summaries read by _id (one per owner, one for everyone), then removes
 * the flush documents both summaries cover. Safe to run in several processes at once and to stop anywhere: a
 * summary is written once (the first insert of its _id stands), a flush document is counted from its summary when
 * that covers it and from itself otherwise, and only documents covered by the summaries that stand are removed.
 * A day is closed once `settleMs` have passed since its end, time for every process to have flushed it.
 */
export class UsageCompactor {
  private timer: NodeJS.Timeout | undefined;
  /** Whether the compaction under way wrote a summary. */
  private wrote = false;
  private running: Promise<void> = Promise.resolve();
  /** Set by stop(): a compaction ends after the day it is on (stopping anywhere is safe, see above). */
  private stopping = false;

  constructor(
    private readonly usage: Model<UsageDoc>,
    private readonly days: Model<UsageDayDoc>,
    private readonly settleMs: number,
    private readonly logger: Logger,
    private readonly landedWithinMs = LANDED_WITHIN_MS,
    /** Where the ledgers of every process hear that summaries were written and flush documents removed. */
    private readonly feed?: ChangeFeed<UsageChange>,
  ) {}

  /** Compacts now and every `intervalMs`; a compaction that failed (the database away) is tried again after `retryMs`. */
  start(intervalMs: number, retryMs = RETRY_AFTER_MS): void {
    const run = () => {
      this.running = this.running.then(async () => {
        await this.compact().catch((error: unknown) => {
          this.logger.warn('could not summarise usage, will try again', { error, retryInMs: retryMs });
          if (!this.stopping) setTimeout(run, retryMs).unref();
        });
      });
    };
    run();
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Summarises every closed day that still has flush documents; returns how many flush documents it removed. When
   * every document it read is counted by a summary that stands (the usual case), they go in one delete by day:
   * removing them by _id costs a scan of the collection per batch on the embedded database (FerretDB matches `$in`
   * and even a delete by _id against every document: 26 min for a year of 300 files' traffic). That delete spares
   * documents stamped since `landedWithinMs` before the read, which may have landed after it uncounted; documents of
   * versions that stamped none count as landed.
   */
  async compact(now = new Date()): Promise<number> {
    let removed = 0;
    try {
      removed = await this.summariseClosedDays(now);
    } finally {
      // Even after a partial run: summaries may have been written, documents removed.
      if (removed > 0 || this.wrote) await this.feed?.publish({ op: 'summarised' }).catch((error: unknown) => this.logger.warn('could not announce usage summaries', { error }));
      this.wrote = false;
    }
    return removed;
  }

  private async summariseClosedDays(now: Date): Promise<number> {
    const closedBefore = utcDay(new Date(now.getTime() - this.settleMs));
    const readAt = Date.now();
    const docs = await this.usage.find({ day: { $lt: closedBefore } }).lean<UsageDoc[]>();
    const removable: string[] = [];
    for (const group of groupBy(docs, (doc) => `${doc.kind}|${new Date(doc.day).getTime()}`).values()) {
      if (this.stopping) return 0;
      for (const id of await this.summarise(group)) removable.push(id);
    }
    if (this.stopping || removable.length === 0) return 0;
    if (removable.length === docs.length) return this.removeByDay(docs, new Date(readAt - this.landedWithinMs));
    return this.removeIds(removable);
  }

  private async removeIds(ids: string[]): Promise<number> {
    for (let i = 0; i < ids.length && !this.stopping; i += DELETE_BATCH) await this.usage.deleteMany({ _id: { $in: ids.slice(i, i + DELETE_BATCH) } });
    return ids.length;
  }

  /** Removes the closed days' flush documents that had landed, a run of days at a time (DELETE_BY_DAY_MAX). */
  private async removeByDay(docs: UsageDoc[], landed: Date): Promise<number> {
    const perDay = [...groupBy(docs, (doc) => String(new Date(doc.day).getTime()))].map(([day, ofDay]) => ({ day: Number(day), ofDay, count: ofDay.length })).sort((a, b) => a.day - b.day);
    let removed = 0;
    for (let first = 0; first < perDay.length && !this.stopping; ) {
      if (perDay[first]!.count > DELETE_BY_DAY_MAX) {
        // A day too busy for one statement: by id, in batches (each matched against the whole collection).
        removed += await this.removeIds(perDay[first]!.ofDay.map((doc) => doc._id));
        first += 1;
        continue;
      }
      let last = first;
      let count = perDay[first]!.count;
      while (last + 1 < perDay.length && count + perDay[last + 1]!.count <= DELETE_BY_DAY_MAX) count += perDay[++last]!.count;
      const day = { $gte: new Date(perDay[first]!.day), $lte: new Date(perDay[last]!.day) };
      removed += (await this.usage.deleteMany({ day, $or: [{ savedAt: { $lt: landed } }, { savedAt: { $exists: false } }] })).deletedCount;
      first = last + 1;
    }
    return removed;
  }

  /** Writes the day's summaries; returns the flush documents those that stand cover. */
  private async summarise(docs: UsageDoc[]): Promise<string[]> {
    const { kind } = docs[0]!;
    const day = new Date(docs[0]!.day);
    const byOwner = groupBy(docs, (doc) => doc.owner);
    const summaries = [summaryOf(kind, EVERYONE, day, docs), ...[...byOwner].map(([owner, own]) => summaryOf(kind, owner, day, own))];
    const allOurs = await this.days.insertMany(summaries, { ordered: false }).then(
      () => true,
      (error: unknown) => {
        const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
        if (!writeErrors?.length || !writeErrors.every((e) => isDuplicate(e.err ?? e))) throw error;
        return false;
      },
    );
    this.wrote = true;
    // Every summary of the group is the one just written: it covers all the group's documents, nothing to read back.
    if (allOurs) return docs.map((doc) => doc._id);
    const standing = async (owner: string) => new FlushCoverage((await this.days.findById(usageDayId(kind, owner, day)).lean())?.covered ?? []);
    const everyone = await standing(EVERYONE);
    const removable: string[] = [];
    for (const [owner, own] of byOwner) {
      const theirs = await standing(owner);
      for (const doc of own) if (everyone.covers(doc._id) && theirs.covers(doc._id)) removable.push(doc._id);
    }
    return removable;
  }
}
