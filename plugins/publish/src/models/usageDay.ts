import { Schema, type Connection, type Model } from '@mediahost/core';
import type { UsageKind } from './usage.js';

/** A figure of a summary, by file, domain or owner. */
export interface KeyedValue {
  k: string;
  v: number;
}

/** The owner of the summary of everyone's usage. */
export const EVERYONE = '*';

/**
 * One closed UTC day of one kind of usage for one owner (or EVERYONE), made once from the day's flush documents
 * and read by _id, which the embedded database serves without reading the collection. `covered` names the flush
 * documents summed into it, so those not yet removed (the compactor stopped halfway) and those that reached the
 * database afterwards (a process retrying a failed flush) are told apart from the ones it already counts.
 */
export interface UsageDayDoc {
  _id: string;
  kind: UsageKind;
  owner: string;
  day: Date;
  total: number;
  /** Every file of an owner's day; for EVERYONE, the day's largest only (TOP_FILES_OF_EVERYONE). */
  files: KeyedValue[];
  labels: KeyedValue[];
  /** EVERYONE's per owner. */
  owners: KeyedValue[];
  /** `<process id>:<flush number>:<first>-<last>`: flush documents `<process id>:<flush number>:<n>`, first ≤ n ≤ last. */
  covered: string[];
}

const keyed = [{ _id: false, k: { type: String, required: true }, v: { type: Number, required: true } }];

const usageDaySchema = new Schema<UsageDayDoc>({
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  owner: { type: String, required: true },
  day: { type: Date, required: true },
  total: { type: Number, required: true },
  files: keyed,
  labels: keyed,
  owners: keyed,
  covered: [String],
});

export const usageDayId = (kind: UsageKind, owner: string, day: Date) => `${kind}:${owner}:${day.toISOString().slice(0, 10)}`;

export function usageDayModel(db: Connection): Model<UsageDayDoc> {
  return db.model<UsageDayDoc>('PublishUsageDay', usageDaySchema, 'publish_usage_days');
}
