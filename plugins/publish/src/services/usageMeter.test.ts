import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { closeLogger, createLogger } from '../../../../core/src/log/createLogger.js';
import { openTestDatabase, runTmpDir } from '../../../../test/support/globalDatabase.js';
import { usageModel } from '../models/usage.js';
import { UsageMeter, utcDay } from './usageMeter.js';

describe('UsageMeter', () => {
  let db: Connection;
  let logger: ReturnType<typeof createLogger>;
  let logDir: string;
  const total = async (match: Record<string, unknown>) => {
    const [sum] = await usageModel(db).aggregate<{ value: number }>([{ $match: match }, { $group: { _id: null, value: { $sum: '$value' } } }]);
    return sum?.value ?? 0;
  };

  before(async () => {
    db = await openTestDatabase('usagemeter');
    logDir = await mkdtemp(path.join(runTmpDir(), 'usage-log-'));
    logger = createLogger({ fileName: 'usage.log', level: 'info', maxFileSize: 65536, maxFiles: 1, console: false }, logDir, { process: 'test' });
  });
  after(async () => {
    await closeLogger(logger);
    await rm(logDir, { recursive: true, force: true });
  });

  it('loses nothing when several processes count the same file and flush at once', async () => {
    const meters = Array.from({ length: 4 }, () => new UsageMeter(usageModel(db), logger));
    for (let i = 0; i < 250; i += 1) for (const meter of meters) meter.record('traffic', 'user:1', 2, { fileId: 'f1' });
    await Promise.all(meters.flatMap((meter) => [meter.flush(), meter.flush()]));
    expect(await total({ kind: 'traffic', owner: 'user:1', fileId: 'f1' })).to.equal(4 * 250 * 2);
    expect(await usageModel(db).countDocuments({ kind: 'traffic', owner: 'user:1' }), 'one document per process and key').to.equal(4);
  });

  it('puts counts in the UTC day they happened', async () => {
    const meter = new UsageMeter(usageModel(db), logger);
    const lateEvening = new Date('2026-03-01T23:59:59.999Z');
    meter.record('upload', 'user:2', 10, {}, lateEvening);
    meter.record('upload', 'user:2', 5, {}, new Date('2026-03-02T00:00:00.000Z'));
    await meter.stop();
    expect(await total({ kind: 'upload', owner: 'user:2', day: utcDay(lateEvening) })).to.equal(10);
    expect(await total({ kind: 'upload', owner: 'user:2', day: new Date('2026-03-02T00:00:00.000Z') })).to.equal(5);
  });

  it('does not count twice what an earlier try of the same flush already saved', async () => {
    // As if flush 1 of process p reached the database but its answer was lost: the retry meets its own _id.
    await usageModel(db).create({ _id: 'p:1:0', day: utcDay(new Date()), kind: 'encoding', owner: 'user:3', fileId: 'f3', label: null, value: 7 });
    const meter = new UsageMeter(usageModel(db), logger, 'p');
    meter.record('encoding', 'user:3', 7, { fileId: 'f3' });
    meter.record('encoding', 'user:3', 3, { fileId: 'f4' });
    await meter.flush();
    expect(await total({ kind: 'encoding', owner: 'user:3' })).to.equal(10);
    await meter.flush();
    expect(await total({ kind: 'encoding', owner: 'user:3' }), 'nothing left to retry').to.equal(10);
  });

  it('ignores amounts that are not positive numbers', async () => {
    const meter = new UsageMeter(usageModel(db), logger);
    for (const amount of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) meter.record('remote', 'user:4', amount);
    await meter.flush();
    expect(await usageModel(db).countDocuments({ owner: 'user:4' })).to.equal(0);
  });
});
