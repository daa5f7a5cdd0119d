import { engineAvailabilities } from '../plugins/live/src/media/engines.js';
import { directPeerJoinMs, loopbackPublisher, loopbackSubscriber } from '../plugins/live/test-support/loopbackPeers.js';

export interface LiveRow {
  engine: string;
  subscribers: number;
  kbps: number;
  sent: number;
  /** Worst subscriber. */
  lossPercent: number;
  joinMsMedian: number;
}

const KBPS = 500;
const SECONDS = 5;
const PAYLOAD = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Subscriber streams forwarded at 500 kbps: loss of the worst subscriber, median join latency, per engine. */
export async function benchLiveEngines(subscriberCounts = [1, 4, 8]): Promise<{ rows: LiveRow[]; skipped: string[]; baselineJoinMs: number }> {
  const rows: LiveRow[] = [];
  const skipped: string[] = [];
  const baselineJoinMs = median(await Promise.all([directPeerJoinMs(), directPeerJoinMs(), directPeerJoinMs()]));
  for (const availability of engineAvailabilities()) {
    if (!availability.available) {
      skipped.push(`${availability.name}: ${availability.reason}`);
      continue;
    }
    const engine = await availability.create!();
    try {
      for (const count of subscriberCounts) {
        process.stderr.write(`measuring live ${availability.name} with ${count} subscriber(s)…\n`);
        const publisher = await loopbackPublisher(engine);
        const subscribers = [];
        for (let i = 0; i < count; i++) subscribers.push(await loopbackSubscriber(engine, publisher.endpoint));
        const sent = Math.round((KBPS * 1000 * SECONDS) / (PAYLOAD * 8));
        await publisher.sendVideo(sent, KBPS, PAYLOAD);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const joins = [];
        for (let i = 0; i < count; i++) {
          const joinStarted = performance.now();
          const late = await loopbackSubscriber(engine, publisher.endpoint);
          await publisher.sendVideo(5, KBPS, PAYLOAD);
          const deadline = Date.now() + 5000;
          while (late.firstPacketMs() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
          joins.push(late.firstPacketMs() !== undefined ? performance.now() - joinStarted : NaN);
          await late.close();
        }
        const worstLoss = Math.max(...subscribers.map((s) => Math.max(0, 1 - s.videoPackets() / sent)));
        rows.push({ engine: availability.name, subscribers: count, kbps: KBPS, sent, lossPercent: worstLoss * 100, joinMsMedian: median(joins) });
        for (const subscriber of subscribers) await subscriber.close();
        await publisher.endpoint.close();
        await publisher.close();
      }
    } finally {
      await engine.close();
    }
  }
  return { rows, skipped, baselineJoinMs };
}

export function printLiveTable({ rows, skipped, baselineJoinMs }: Awaited<ReturnType<typeof benchLiveEngines>>): void {
  const header = ['live engine', 'subscribers', 'kbps each', 'packets', 'worst loss %', 'join ms (median)', 'direct p2p join ms'];
  const cells = rows.map((r) => [r.engine, String(r.subscribers), String(r.kbps), String(r.sent), r.lossPercent.toFixed(2), r.joinMsMedian.toFixed(0), baselineJoinMs.toFixed(0)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  process.stdout.write('\n');
  for (const line of [header, ...cells]) process.stdout.write(`${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`);
  for (const reason of skipped) process.stdout.write(`live engine skipped: ${reason}\n`);
  for (const row of rows) if (row.lossPercent >= 1) process.stdout.write(`WARNING: ${row.engine} lost ${row.lossPercent.toFixed(2)}% with ${row.subscribers} subscribers (target < 1%)\n`);
}
