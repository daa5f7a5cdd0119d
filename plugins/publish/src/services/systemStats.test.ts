import { expect } from 'chai';
import winston from 'winston';
import { openTestDatabase } from '../../../../test/support/globalDatabase.js';
import { systemSampleModel } from '../models/systemSample.js';
import { defaultPoints, SystemStats } from './systemStats.js';

describe('SystemStats', () => {
  it("samples this host's CPU, memory, network and disk and the encoding queue, and averages them into VideoCMS's buckets", async () => {
    const samples = systemSampleModel(await openTestDatabase('systemstats'));
    const queue = { qualities: 3, audios: 1, subtitles: 2 };
    const stats = new SystemStats(samples, winston.createLogger({ silent: true }), async () => queue, 'p1');
    const from = new Date();
    await stats.sample();
    expect(await samples.countDocuments(), 'the first reading only starts the count').to.equal(0);
    // Busy for a moment, so the second reading has CPU time to show.
    for (const end = Date.now() + 200; Date.now() < end; );
    await stats.sample();
    const [saved] = await samples.find().lean();
    expect(saved!.cpu).to.be.within(0, 100);
    expect(saved!.mem).to.be.within(0.1, 100);
    for (const rate of [saved!.netIn, saved!.netOut, saved!.diskR, saved!.diskW]) expect(rate).to.be.at.least(0);
    expect(saved).to.include({ encQualities: 3, encAudios: 1, encSubtitles: 2 });

    const to = new Date(Date.now() + 1000);
    const series = await stats.series(from, to, 2);
    expect(series).to.have.keys('Cpu', 'Mem', 'NetOut', 'NetIn', 'DiskW', 'DiskR', 'ENCQualityQueue', 'ENCAudioQueue', 'ENCSubtitleQueue');
    expect(series.ENCQualityQueue.filter((point) => point.Value > 0).map((point) => point.Value)).to.deep.equal([3]);
    expect(series.ENCSubtitleQueue.filter((point) => point.Value > 0).map((point) => point.Value)).to.deep.equal([2]);
    const withSample = series.Mem.filter((point) => point.Value > 0);
    expect(withSample).to.have.length(1);
    expect(withSample[0]!.Value).to.equal(saved!.mem);
    expect(series.Cpu.every((point, i) => point.Timestamp === series.Mem[i]!.Timestamp)).to.equal(true);
  });

  it("picks VideoCMS's number of points: every 15 minutes up to a day, within 50..200, else 100", () => {
    const at = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * 3600_000);
    expect(defaultPoints(at(0), at(4))).to.equal(50);
    expect(defaultPoints(at(0), at(24))).to.equal(96);
    expect(defaultPoints(at(0), at(24 * 7))).to.equal(100);
  });
});
