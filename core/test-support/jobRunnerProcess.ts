// One job runner in a process of its own, for the tests that race several over one queue: argv is the database URI,
// the database name and a label. Each run of `race.work` writes a start and a done event to `race_events`; it lasts
// `data.ms`; RACE_HEARTBEAT_MS sets the heartbeat. The process prints "ready" once it takes jobs, and stops cleanly when its stdin closes.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import winston from 'winston';
import { JobQueueService } from '../src/jobs/jobQueue.js';

const [uri, dbName, label] = process.argv.slice(2) as [string, string, string];
const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
interface RaceEvent {
  _id: string;
  jobId: string;
  kind: 'start' | 'done';
  runner: string;
  pid: number;
  at: Date;
}
const events = connection.db!.collection<RaceEvent>('race_events');
const heartbeatMs = Number(process.env.RACE_HEARTBEAT_MS ?? 2000);
/**
 * Writes a run's event once, whatever the database says: on a loaded machine FerretDB's SQLite can answer SQLITE_BUSY,
 * which would fail the job and run it again for a reason the test is not about. The event's _id names the run, so a
 * retried write that had landed is a duplicate, not a second event.
 */
async function record(run: string, event: Omit<RaceEvent, '_id'>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await events.insertOne({ _id: `${run}:${event.kind}`, ...event });
      return;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return;
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

const queue = new JobQueueService(connection, winston.createLogger({ silent: true }), 100, heartbeatMs);
queue.define({
  name: 'race.work',
  concurrency: 2,
  lockLifetimeMs: 60_000,
  async run(job) {
    const { ms } = job.data as { ms: number };
    const run = randomUUID();
    await record(run, { jobId: job.id, kind: 'start', runner: label, pid: process.pid, at: new Date() });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      job.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(job.signal.reason as Error);
      });
    });
    await record(run, { jobId: job.id, kind: 'done', runner: label, pid: process.pid, at: new Date() });
  },
});
await queue.startWorker();
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await queue.stop();
  // Exiting closes the connection; closing it first would fail the queries agenda may still have in flight.
  process.exit(0);
});
