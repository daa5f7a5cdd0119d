import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { engineAvailabilities } from '../plugins/live/src/media/engines.js';
import { IpcRpc } from '../plugins/live/test-support/ipcRpc.js';

/**
 * The live engines' capacity: the most 500 kbps subscriber streams one core forwards with < 1 % loss and a p95 added
 * latency < 50 ms. The SFU runs alone in a process pinned to core 0 with taskset (mediasoup: one Worker, pinned
 * with it); the publisher and the subscribers are werift peers in another process, on the other cores.
 */

const KBPS = 500;
const PAYLOAD = 1000;
const SECONDS = Number(process.env.LIVE_BENCH_SECONDS ?? 5);
const STEPS = (process.env.LIVE_BENCH_STEPS ?? '25,50,100,200,400,800').split(',').map(Number);
const MAX_LOSS_PERCENT = 1;
const MAX_ADDED_P95_MS = 50;
const BISECT_ROUNDS = Number(process.env.LIVE_BENCH_BISECT ?? 3);

export interface LiveStep {
  subscribers: number;
  lossPercent: number;
  addedP95Ms: number;
  peersCpuPercent: number;
  passed: boolean;
}
export interface LiveRow {
  engine: string;
  /** The most subscribers of a passing step (0: not even the first). */
  capacity: number;
  steps: LiveStep[];
  directP50Ms: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

function helper(script: string, args: string[], cpus: string | undefined): { child: ChildProcess; rpc: IpcRpc; ready: Promise<void> } {
  const node = [process.execPath, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args];
  const [command, ...rest] = cpus ? ['taskset', '-c', cpus, ...node] : node;
  const child = spawn(command!, rest, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rpc = new IpcRpc(child);
  const ready = new Promise<void>((resolve, reject) => {
    rpc.onEvent('ready', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, rpc, ready };
}

async function measureEngine(engine: string, sfuCpu: string | undefined, peersCpus: string | undefined): Promise<LiveRow> {
  const sfu = helper('./liveSfuProcess.ts', [engine], sfuCpu);
  const peers = helper('../plugins/live/test-support/benchPeersProcess.ts', [], peersCpus);
  try {
    await Promise.all([sfu.ready, peers.ready]);
    // The peers' signalling goes to the SFU, its ICE candidates back to them.
    peers.rpc.handle('sfu:publish', (params) => sfu.rpc.call('publish', params));
    peers.rpc.handle('sfu:subscribe', (params) => sfu.rpc.call('subscribe', params));
    peers.rpc.handle('sfu:candidate', (params) => sfu.rpc.call('candidate', params));
    sfu.rpc.onEvent('candidate', (params) => peers.rpc.emit('candidate', params));
    const window = { seconds: SECONDS, kbps: KBPS, payloadBytes: PAYLOAD };
    const directP50Ms = percentile(await peers.rpc.call<number[]>('direct', { ...window, seconds: 2 }), 50);
    await peers.rpc.call('publisher', { id: 'publisher' });
    const steps: LiveStep[] = [];
    let joined = 0;
    const measureAt = async (target: number): Promise<LiveStep> => {
      process.stderr.write(`measuring live ${engine} with ${target} subscribers…\n`);
      if (target < joined) {
        for (const id of await peers.rpc.call<string[]>('drop', { count: joined - target })) await sfu.rpc.call('close', { id });
      }
      const ids = Array.from({ length: Math.max(0, target - joined) }, (_, i) => `subscriber-${joined + i}`);
      for (let i = 0; i < ids.length; i += 25) await peers.rpc.call('subscribers', { ids: ids.slice(i, i + 25), publisherId: 'publisher' });
      joined = target;
      const result = await peers.rpc.call<{ sent: number; peersCpuPercent: number; subscribers: { packets: number; delays: number[] }[] }>('window', window);
      const expected = result.sent * result.subscribers.length;
      const got = result.subscribers.reduce((sum, s) => sum + s.packets, 0);
      const lossPercent = Math.max(0, (1 - got / expected) * 100);
      const addedP95Ms = percentile(result.subscribers.flatMap((s) => s.delays), 95) - directP50Ms;
      const step = { subscribers: target, lossPercent, addedP95Ms, peersCpuPercent: result.peersCpuPercent, passed: lossPercent < MAX_LOSS_PERCENT && addedP95Ms < MAX_ADDED_P95_MS };
      steps.push(step);
      return step;
    };
    let passed = 0;
    let failed: number | undefined;
    for (const target of STEPS) {
      if ((await measureAt(target)).passed) passed = target;
      else {
        failed = target;
        break;
      }
    }
    // Between the last step that passed and the first that did not: halve the gap a few times.
    for (let round = 0; failed !== undefined && round < BISECT_ROUNDS && failed - passed > 1; round++) {
      const middle = Math.floor((passed + failed) / 2);
      if ((await measureAt(middle)).passed) passed = middle;
      else failed = middle;
    }
    return { engine, capacity: passed, steps, directP50Ms };
  } finally {
    await Promise.race([Promise.allSettled([peers.rpc.call('stop'), sfu.rpc.call('stop')]), new Promise((resolve) => setTimeout(resolve, 5000))]);
    peers.child.kill('SIGKILL');
    sfu.child.kill('SIGKILL');
  }
}

export async function benchLiveEngines(): Promise<{ rows: LiveRow[]; skipped: string[]; pinned: boolean }> {
  const rows: LiveRow[] = [];
  const skipped: string[] = [];
  const cores = os.availableParallelism();
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  if (!pinned) skipped.push('taskset is missing (util-linux): the SFU is not pinned to one core');
  const peersCpus = pinned && cores > 1 ? `1-${cores - 1}` : undefined;
  for (const availability of engineAvailabilities()) {
    if (!availability.available) {
      skipped.push(`${availability.name}: ${availability.reason}`);
      continue;
    }
    rows.push(await measureEngine(availability.name, pinned ? '0' : undefined, peersCpus));
  }
  return { rows, skipped, pinned };
}

export function printLiveTable({ rows, skipped }: Awaited<ReturnType<typeof benchLiveEngines>>): void {
  const header = ['live engine', 'subscribers', 'loss %', 'p95 added ms', 'peers cpu %', 'verdict'];
  const cells = rows.flatMap((row) =>
    row.steps.map((s) => [row.engine, String(s.subscribers), s.lossPercent.toFixed(2), s.addedP95Ms.toFixed(1), s.peersCpuPercent.toFixed(0), s.passed ? 'ok' : 'over'])
  );
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  process.stdout.write('\n');
  for (const line of [header, ...cells]) process.stdout.write(`${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`);
  for (const row of rows) {
    const limitedByPeers = row.steps.some((s) => s.peersCpuPercent > 90 * Math.max(1, os.availableParallelism() - 1));
    process.stdout.write(
      `live ${row.engine}: ${row.capacity} subscriber streams of ${KBPS} kbps on one core (< ${MAX_LOSS_PERCENT}% loss, p95 added < ${MAX_ADDED_P95_MS} ms; direct p2p p50 ${row.directP50Ms.toFixed(1)} ms)` +
        `${row.capacity === STEPS.at(-1) ? ' — the last step passed: raise LIVE_BENCH_STEPS' : ''}${limitedByPeers ? ' — the peers\' process was saturated: a floor, not the SFU\'s limit' : ''}\n`,
    );
  }
  for (const reason of skipped) process.stdout.write(`live engine skipped: ${reason}\n`);
}
