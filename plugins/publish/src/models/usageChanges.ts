import type { UsageDoc } from './usage.js';

/**
 * What usage writes tell the ledgers (services/usageLedger.ts) of every process: flush documents saved, or closed
 * days summarised (their flush documents removed, summaries written that a ledger may have found absent before).
 */
export type UsageChange = { op: 'flushed'; docs: UsageDoc[] } | { op: 'summarised' };
