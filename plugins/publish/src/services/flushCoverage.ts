/** A flush document's id as UsageMeter makes it: `<process id>:<flush number>:<n>`. */
export function parseFlushId(id: string): { batch: string; n: number } | undefined {
  const match = /^(.+:\d+):(\d+)$/.exec(id);
  return match ? { batch: match[1]!, n: Number(match[2]) } : undefined;
}

/** The ids as `<batch>:<first>-<last>` runs: a flush numbers one owner's documents of a day consecutively. */
export function coverageOf(ids: string[]): string[] {
  const byBatch = new Map<string, number[]>();
  for (const id of ids) {
    const parsed = parseFlushId(id);
    if (!parsed) continue;
    const ns = byBatch.get(parsed.batch) ?? [];
    ns.push(parsed.n);
    byBatch.set(parsed.batch, ns);
  }
  const runs: string[] = [];
  for (const [batch, ns] of byBatch) {
    ns.sort((a, b) => a - b);
    let first = ns[0]!;
    for (let i = 1; i <= ns.length; i += 1) {
      if (i < ns.length && ns[i] === ns[i - 1]! + 1) continue;
      runs.push(`${batch}:${first}-${ns[i - 1]}`);
      first = ns[i]!;
    }
  }
  return runs;
}

/** Whether a flush document is among those a summary's coverage names. */
export class FlushCoverage {
  private readonly runs = new Map<string, [number, number][]>();

  constructor(covered: string[]) {
    for (const run of covered) {
      const match = /^(.+:\d+):(\d+)-(\d+)$/.exec(run);
      if (!match) continue;
      const list = this.runs.get(match[1]!) ?? [];
      list.push([Number(match[2]), Number(match[3])]);
      this.runs.set(match[1]!, list);
    }
  }

  covers(id: string): boolean {
    const parsed = parseFlushId(id);
    return !!parsed && (this.runs.get(parsed.batch) ?? []).some(([first, last]) => parsed.n >= first && parsed.n <= last);
  }
}
