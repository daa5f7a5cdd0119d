import { randomUUID } from 'node:crypto';
import type { Model } from '@mediahost/core';
import type { UsageEventDoc, UsageMetric } from '../models/usageEvent.js';

const DESCRIPTIONS: Record<UsageMetric, string> = {
  uploads: 'Total number of files uploaded in the given interval',
  edits: 'Total number of timelines created in the given interval',
  exports: 'Total number of exports completed in the given interval',
  exportedEdits: 'Number of distinct timelines exported in the given interval',
};

/** yyyyMMddHHmmss in UTC, as the reference's fromString/toString. */
const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Usage reports, counted from the events recorded as uploads, timelines and exports happen. */
export class Usage {
  constructor(private readonly events: Model<UsageEventDoc>) {}

  async record(instanceId: number, kind: UsageEventDoc['kind'], subject: number): Promise<void> {
    await this.events.create({ _id: randomUUID(), instanceId, kind, subject, at: new Date() });
  }

  async report(instanceId: number, metric: UsageMetric, from: number, to: number) {
    const kind: UsageEventDoc['kind'] = metric === 'uploads' ? 'upload' : metric === 'edits' ? 'edit' : 'export';
    const filter = { instanceId, kind, at: { $gte: new Date(from), $lt: new Date(to) } };
    const result = metric === 'exportedEdits' ? new Set((await this.events.find(filter, { subject: 1 }).lean<UsageEventDoc[]>()).map((e) => e.subject)).size : await this.events.countDocuments(filter);
    return { property: metric, from, fromString: compact(from), to, toString: compact(to), description: DESCRIPTIONS[metric], result };
  }
}
