import type { ChangeFeed, Logger, Model } from '@mediahost/core';
import type { UsageDoc, UsageKind } from '../models/usage.js';
import type { UsageChange } from '../models/usageChanges.js';
import { EVERYONE, usageDayId, type UsageDayDoc } from '../models/usageDay.js';
import { FeedFedIndex } from './feedFedIndex.js';
import { FlushCoverage } from './flushCoverage.js';

const DAY_MS = 86_400_000;
/** Summaries read at once: a year of days is 365 reads by _id. */
const PARALLEL_READS = 16;
/** Summaries (and days found without one) kept in memory: a summary never changes once written (the first insert of its _id stands). */
const CACHED_SUMMARIES = 20_000;
/** Spans of summaries added up, kept in memory (a chart's and its top list's, per kind and owner). */
const CACHED_SPANS = 200;

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

/** The figures of a span's summaries, and which flush documents each day's summary counts. */
interface SummedSpan extends UsageFigures {
  coverage: Map<number, FlushCoverage>;
}

/** A flush document as the ledger holds it: its day as a number, whether it came from the database or a feed message. */
interface OpenUsage {
  id: string;
  day: number;
  owner: string;
  fileId: string | null;
  label: string | null;
  value: number;
}

/**
 * Reads usage as the summaries of closed days (by _id) plus the flush documents no summary covers (the open day,
 * and what reached the database after its day was summarised). Both are held in memory, so a chart or a top list
 * reads no database once warm: a summary never changes once written, and the flush documents are loaded once
 * and then kept current by what every process's meter announces it saved (models/usageChanges.ts). A summary
 * found absent is taken as absent until a compactor announces new ones, or until the next load (hourly, or when
 * the feed says changes were missed), which also drops the flush documents compactors removed.
 */
export class UsageLedger extends FeedFedIndex<UsageDoc[]> {
  private readonly summaries = new Map<string, UsageDayDoc | null>();
  /** The flush documents not yet known to be removed, by kind, then owner, then _id. */
  private open = new Map<UsageKind, Map<string, Map<string, OpenUsage>>>();
  private readonly spans = new Map<string, SummedSpan>();
  /** Counts the times absent summaries were forgotten: a span summed across one is not kept. */
  private generation = 0;

  constructor(
    private readonly usage: Model<UsageDoc>,
    private readonly days: Model<UsageDayDoc>,
    feed: ChangeFeed<UsageChange>,
    logger: Logger,
  ) {
    super(logger, 'usage ledger');
    feed.listen({
      change: (change) => (change.op === 'flushed' ? this.hear(change.docs) : this.summarised()),
      resync: () => this.summarised(),
    });
  }

  async figures(kind: UsageKind, owner: string | null, first: Date, last: Date): Promise<UsageFigures> {
    await this.ready();
    const summed = await this.summed(kind, owner, first.getTime(), last.getTime());
    const { coverage } = summed;
    const figures: UsageFigures = { byDay: new Map(summed.byDay), byFile: new Map(summed.byFile), byLabel: new Map(summed.byLabel), byOwner: new Map(summed.byOwner) };
    const ofKind = this.open.get(kind);
    const owners = owner ? [ofKind?.get(owner)] : [...(ofKind?.values() ?? [])];
    const [from, to] = [first.getTime(), last.getTime()];
    for (const docs of owners) {
      for (const doc of docs?.values() ?? []) {
        if (doc.day < from || doc.day > to || coverage.get(doc.day)?.covers(doc.id)) continue;
        add(figures.byDay, doc.day, doc.value);
        add(figures.byFile, doc.fileId, doc.value);
        add(figures.byLabel, doc.label, doc.value);
        add(figures.byOwner, doc.owner, doc.value);
      }
    }
    return figures;
  }

  /**
   * The span's summaries added up, kept until summaries may appear (a year's top files is otherwise 110,000 additions
   * per request for 300 files a day): only the flush documents are added per request.
   */
  private async summed(kind: UsageKind, owner: string | null, first: number, last: number): Promise<SummedSpan> {
    const key = JSON.stringify([kind, owner, first, Math.floor(last / DAY_MS)]);
    const kept = this.spans.get(key);
    if (kept) return kept;
    const generation = this.generation;
    const dayStarts: number[] = [];
    for (let day = first; day <= last; day += DAY_MS) dayStarts.push(day);
    const summaries = await mapLimited(dayStarts, PARALLEL_READS, (day) => this.summary(usageDayId(kind, owner ?? EVERYONE, new Date(day))));
    const summed: SummedSpan = { byDay: new Map(), byFile: new Map(), byLabel: new Map(), byOwner: new Map(), coverage: new Map() };
    for (const summary of summaries) {
      if (!summary) continue;
      const day = new Date(summary.day).getTime();
      summed.coverage.set(day, new FlushCoverage(summary.covered));
      add(summed.byDay, day, summary.total);
      for (const { k, v } of summary.files) add(summed.byFile, k, v);
      for (const { k, v } of summary.labels) add(summed.byLabel, k, v);
      if (owner) add(summed.byOwner, owner, summary.total);
      else for (const { k, v } of summary.owners) add(summed.byOwner, k, v);
    }
    // Not kept when summaries may have appeared while these were read.
    if (generation === this.generation) {
      if (this.spans.size >= CACHED_SPANS) this.spans.delete(this.spans.keys().next().value!);
      this.spans.set(key, summed);
    }
    return summed;
  }

  protected async read(): Promise<void> {
    const docs = await this.usage.find({}).lean<UsageDoc[]>();
    this.open = new Map();
    this.apply(docs);
    // What was absent may have been written before the flush documents it covers were removed (and so not read here).
    this.forgetAbsentSummaries();
  }

  protected apply(docs: UsageDoc[]): void {
    for (const doc of docs) {
      const ofKind = this.open.get(doc.kind) ?? new Map<string, Map<string, OpenUsage>>();
      this.open.set(doc.kind, ofKind);
      const ofOwner = ofKind.get(doc.owner) ?? new Map<string, OpenUsage>();
      ofKind.set(doc.owner, ofOwner);
      ofOwner.set(doc._id, { id: doc._id, day: new Date(doc.day).getTime(), owner: doc.owner, fileId: doc.fileId ?? null, label: doc.label ?? null, value: doc.value });
    }
  }

  /** Compactors wrote summaries and removed the flush documents they cover. */
  private summarised(): void {
    this.forgetAbsentSummaries();
    this.reload();
  }

  private forgetAbsentSummaries(): void {
    for (const [id, summary] of this.summaries) if (!summary) this.summaries.delete(id);
    this.spans.clear();
    this.generation += 1;
  }

  /** A day's summary, or null: from memory once read (a year's chart is otherwise 365 reads per request). */
  private async summary(id: string): Promise<UsageDayDoc | null> {
    const kept = this.summaries.get(id);
    if (kept !== undefined) return kept;
    const read = await this.days.findById(id).lean<UsageDayDoc>();
    if (this.summaries.size >= CACHED_SUMMARIES) this.summaries.delete(this.summaries.keys().next().value!);
    this.summaries.set(id, read ?? null);
    return read ?? null;
  }
}
