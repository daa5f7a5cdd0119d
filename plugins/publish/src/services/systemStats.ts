import { randomUUID } from 'node:crypto';
import type { Logger, Model } from '@mediahost/core';
import type { SystemSampleDoc } from '../models/systemSample.js';
import type { EncodingQueueCounts } from './encodingQueue.js';
import { memoryPercent, readHostCounters, type HostCounters } from './hostCounters.js';

export const SAMPLE_EVERY_MS = 60_000;
/** Samples older than this are removed (hourly): the admin's charts look back a week at most. */
const KEEP_MS = 7 * 86_400_000;
const SERIES = ['Cpu', 'Mem', 'NetOut', 'NetIn', 'DiskW', 'DiskR', 'ENCQualityQueue', 'ENCAudioQueue', 'ENCSubtitleQueue'] as const;
const FIELD: Record<(typeof SERIES)[number], keyof Omit<SystemSampleDoc, '_id' | 'at'>> = {
  Cpu: 'cpu',
  Mem: 'mem',
  NetOut: 'netOut',
  NetIn: 'netIn',
  DiskW: 'diskW',
  DiskR: 'diskR',
  ENCQualityQueue: 'encQualities',
  ENCAudioQueue: 'encAudios',
  ENCSubtitleQueue: 'encSubtitles',
};

export interface ValuePoint {
  Timestamp: number;
  Value: number;
}

/** VideoCMS's GET /api/stats shape: each series' buckets over the span, averaged, zeros where nothing was sampled. */
export type SystemStatsJson = Record<(typeof SERIES)[number], ValuePoint[]>;

/**
 * The host's CPU, memory, network and disk, and the encoding queue (`queue`: everyone's, the same in every process),
 * sampled each minute (systemSampleSeconds) by every web-service process (one insert under `<process>:<period>`) and averaged into
 * VideoCMS's buckets on request. Samples are kept a week.
 */
export class SystemStats {
  private timer: NodeJS.Timeout | undefined;
  private last: HostCounters | undefined;
  private lastPurge = 0;
  private everyMs = SAMPLE_EVERY_MS;

  constructor(
    private readonly samples: Model<SystemSampleDoc>,
    private readonly logger: Logger,
    private readonly queue: () => Promise<EncodingQueueCounts>,
    private readonly processId: string = randomUUID(),
  ) {}

  start(everyMs = SAMPLE_EVERY_MS): void {
    this.everyMs = everyMs;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Records the rates since the previous reading (the first reading only starts the count). */
  async sample(): Promise<void> {
    try {
      const now = await readHostCounters();
      const before = this.last;
      this.last = now;
      if (before && now.at > before.at) {
        const seconds = (now.at - before.at) / 1000;
        const rate = (later: number, earlier: number) => Math.max(0, (later - earlier) / seconds);
        const cpuTotal = now.cpuTotal - before.cpuTotal;
        const queue = await this.queue();
        await this.samples.create({
          _id: `${this.processId}:${Math.floor(now.at / this.everyMs)}`,
          at: new Date(now.at),
          cpu: cpuTotal > 0 ? ((now.cpuBusy - before.cpuBusy) / cpuTotal) * 100 : 0,
          mem: memoryPercent(),
          netIn: rate(now.netIn, before.netIn),
          netOut: rate(now.netOut, before.netOut),
          diskR: rate(now.diskRead, before.diskRead),
          diskW: rate(now.diskWrite, before.diskWrite),
          encQualities: queue.qualities,
          encAudios: queue.audios,
          encSubtitles: queue.subtitles,
        });
      }
      if (now.at - this.lastPurge > 3600_000) {
        this.lastPurge = now.at;
        await this.samples.deleteMany({ at: { $lt: new Date(now.at - KEEP_MS) } });
      }
    } catch (error) {
      this.logger.warn('could not sample the host', { error });
    }
  }

  /** VideoCMS's buckets: `points` of them over [from, to], timestamps in ms aligned on the bucket size. */
  async series(from: Date, to: Date, points: number): Promise<SystemStatsJson> {
    const stepMs = Math.max(1000, Math.ceil((to.getTime() - from.getTime()) / points / 1000) * 1000);
    const docs = await this.samples.find({ at: { $gte: from, $lte: to } }).lean<SystemSampleDoc[]>();
    const buckets = new Map<number, SystemSampleDoc[]>();
    for (const doc of docs) {
      const bucket = Math.floor(new Date(doc.at).getTime() / stepMs) * stepMs;
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), doc]);
    }
    const result = Object.fromEntries(SERIES.map((name) => [name, [] as ValuePoint[]])) as SystemStatsJson;
    for (let bucket = Math.floor(from.getTime() / stepMs) * stepMs; bucket <= to.getTime(); bucket += stepMs) {
      const inBucket = buckets.get(bucket) ?? [];
      for (const name of SERIES) {
        const values = inBucket.map((doc) => doc[FIELD[name]] ?? 0);
        result[name].push({ Timestamp: bucket, Value: values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0 });
      }
    }
    return result;
  }
}

/** VideoCMS's number of points when none is asked: one per 15 min up to a day (50..200), else 100. */
export function defaultPoints(from: Date, to: Date): number {
  const minutes = (to.getTime() - from.getTime()) / 60_000;
  return minutes <= 1440 ? Math.min(200, Math.max(50, Math.floor(minutes / 15))) : 100;
}
