import os from 'node:os';
import { Cleanups } from './cleanups.js';
import { helloBench } from './helloBench.js';
import { listingBench } from './listingBench.js';
import { mixedLoadBench } from './mixedLoadBench.js';
import { usageChartsBench } from './usageChartsBench.js';
import { publishBench } from './publishBench.js';
import type { Row } from './row.js';
import type { Defer } from './platformFixture.js';
import { benchLiveEngines, printLiveTable } from './liveEngines.js';
import { editorBench } from './editorBench.js';
import { liveToLibraryBench } from './liveToLibraryBench.js';
import { scaleOutBench } from './scaleOutBench.js';
import { storageBench } from './storageBench.js';
import { vodToEditorBench } from './vodToEditorBench.js';

/** Run one after another, each with its own processes and temporary folders, all gone before the next starts. */
const benches: [string, (defer: Defer) => Promise<Row[]>][] = [
  ['web service', helloBench],
  ['listing', listingBench],
  ['mixed load', mixedLoadBench],
  ['usage charts', usageChartsBench],
  ['publish', publishBench],
  ['storage', storageBench],
  ['scale-out', scaleOutBench],
  ['live to library', liveToLibraryBench],
  ['vod to editor', vodToEditorBench],
  ['editor', async (defer) => (await editorBench(defer)).map(({ name, oursSeconds, baselineSeconds }) => ({ name, unit: 's', ours: oursSeconds, baseline: baselineSeconds, digits: 2 }))],
];
/** BENCH_ONLY="web service" (a comma-separated list of names) runs only those benches; "live" names the live engines' capacity. */
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const selected = only ? benches.filter(([name]) => only.includes(name)) : benches;
const running = new Set<Cleanups>();

function printTable(rows: Row[]): void {
  const header = ['benchmark', 'unit', 'ours', 'baseline', 'ratio', 'goal'];
  const verdict = (ratio: number, unit: string, goal?: number) => (goal === undefined ? '' : `${unit === 's' ? '≤' : '≥'} ${goal} ${(unit === 's' ? ratio <= goal : ratio >= goal) ? 'met' : 'MISSED'}`);
  const cells = rows.map(({ name, unit, ours, baseline, digits = 0, goal }) => [name, unit, ours.toFixed(digits), baseline.toFixed(digits), (ours / baseline).toFixed(3), verdict(ours / baseline, unit, goal)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  for (const line of [header, ...cells]) {
    process.stdout.write(`${line.map((cell, i) => (i < 2 || i === 5 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`);
  }
}

let interrupted: NodeJS.Signals | undefined;
const exitCode = (signal: NodeJS.Signals) => 128 + os.constants.signals[signal];
const onSignal = (signal: NodeJS.Signals) => {
  interrupted = signal;
  void Promise.all([...running].map((cleanups) => cleanups.run())).finally(() => process.exit(exitCode(signal)));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const load = () => os.loadavg()[0]!.toFixed(1);
const loadAtStart = load();
const rows: Row[] = [];
let failed = false;
for (const [name, bench] of selected) {
  const cleanups = new Cleanups();
  running.add(cleanups);
  const started = performance.now();
  try {
    rows.push(...(await bench(cleanups.defer)));
  } catch (error) {
    process.stderr.write(interrupted ? `bench ${name} interrupted by ${interrupted}\n` : `bench ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    failed = true;
  } finally {
    await cleanups.run();
    running.delete(cleanups);
  }
  process.stderr.write(`bench ${name}: ${((performance.now() - started) / 1000).toFixed(0)} s, load average now ${load()}\n`);
  if (failed) break;
}
const live = failed || interrupted || (only && !only.includes('live')) ? undefined : await benchLiveEngines().catch((error: unknown) => {
  process.stderr.write(`bench live failed: ${(error as Error).stack ?? String(error)}\n`);
  failed = true;
  return undefined;
});
printTable(rows);
if (live) printLiveTable(live);
process.stdout.write('ratio = ours / baseline; for "s" lower is better, for the others higher is better.\n');
process.stdout.write('req/cpu-s = requests answered per CPU-second of the server process: the throughput it would reach on a core of its own, less swayed than req/s by the client and the machine\'s load.\n');
// Figures from a busy machine are not comparable with an idle one's: say how busy it was.
process.stdout.write(`load average (1 min): ${loadAtStart} at start, ${load()} at end, on ${os.availableParallelism()} cores.\n`);
process.exit(interrupted ? exitCode(interrupted) : failed ? 1 : 0);
