import type { Logger, Model } from '@mediahost/core';
import { storageDayId, type StorageDayDoc } from '../models/storageDay.js';
import type { StorageIndex } from './storageIndex.js';
import type { StatPoint } from './usageStats.js';
import { utcDay } from './usageMeter.js';

const DAY_MS = 86_400_000;
export const SAMPLE_EVERY_MS = 3600_000;

/**
 * Stored bytes over time for the dashboard: each process that serves the API writes the day's figure from the storage
 * index now and then (the last write of a day stands: a gauge, not a sum), and a chart reads one document per day by
 * _id; today's point is the index's figure now.
 */
export class StorageHistory {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly days: Model<StorageDayDoc>,
    private readonly storage: StorageIndex,
    private readonly logger: Logger,
  ) {}

  async sample(at = new Date()): Promise<void> {
    const day = utcDay(at);
    await this.days.updateOne({ _id: storageDayId(day) }, { $set: { day, bytes: await this.storage.bytesOf(null) } }, { upsert: true });
  }

  start(everyMs = SAMPLE_EVERY_MS): void {
    const sample = () => void this.sample().catch((error: unknown) => this.logger.warn('could not record the stored bytes', { error }));
    sample();
    this.timer = setInterval(sample, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sample().catch((error: unknown) => this.logger.warn('could not record the stored bytes', { error }));
  }

  /** One point a day, as VideoCMS's charts read them; a day nothing sampled shows 0. */
  async series(from: Date, to: Date): Promise<StatPoint[]> {
    const today = utcDay(new Date()).getTime();
    const points: StatPoint[] = [];
    for (let day = utcDay(from).getTime(); day <= to.getTime(); day += DAY_MS) {
      const bytes = day === today ? await this.storage.bytesOf(null) : ((await this.days.findById(storageDayId(new Date(day))).lean<StorageDayDoc>())?.bytes ?? 0);
      points.push({ Timestamp: day, Bytes: bytes });
    }
    return points;
  }
}
