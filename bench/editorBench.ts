import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { acquireEmbeddedDatabase } from '../core/src/db/embeddedDatabase.js';
import { MediaToolchain } from '../core/src/media/toolchain.js';
import { testToolchain } from '../test/support/toolchain.js';
import { exportCommand, probeMedia, proxyCommand } from '../plugins/editor/src/services/mediaCommands.js';
import { renderGraph } from '../plugins/editor/src/services/renderGraph.js';
import { layOut, type LayoutFile } from '../plugins/editor/src/services/timelineLayout.js';
import { timelineInputSchema } from '../plugins/editor/src/models/timelineSchema.js';
import { makeSample } from '../test/support/media.js';
import { poll } from './poll.js';
import { freePort, rootDir, runNode, startServerProcess } from './processes.js';

const run = promisify(execFile);

export interface TimingRow {
  name: string;
  oursSeconds: number;
  baselineSeconds: number;
}

type Defer = (task: () => Promise<unknown>) => void;

const EXPORT = { width: 1280, height: 720, fps: 25, preset: 'veryfast', videoBitrateKbps: 3000 };
const PROXY_PRESET = 'medium';

async function seconds(task: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await task();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const ROUNDS = 2;

/** Ours and bare, alternated over ROUNDS so neither always runs on a warmer or quieter machine; the best time of each. */
async function alternate(what: string, ours: () => Promise<unknown>, bare: () => Promise<unknown>): Promise<[number, number]> {
  const times = { ours: [] as number[], bare: [] as number[] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    process.stderr.write(`editor bench: ${what}, round ${round}: bare ffmpeg…\n`);
    times.bare.push(await seconds(bare));
    process.stderr.write(`editor bench: ${what}, round ${round}: through the API…\n`);
    times.ours.push(await seconds(ours));
  }
  return [Math.min(...times.ours), Math.min(...times.bare)];
}

/** Both processes of a platform with the editor only, on a fresh database, and an application with the editor scope. */
async function startEditorPlatform(defer: Defer): Promise<{ ws: string; secret: string; dataDir: string }> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-editor-'));
  defer(() => rm(base, { recursive: true, force: true }));
  const dbDir = path.join(base, 'db');
  const database = await acquireEmbeddedDatabase(dbDir, process.env.MEDIAHOST_FERRETDB_BIN, (line) => process.stderr.write(`${line}\n`));
  defer(() => database.release());
  const confDir = path.join(base, 'conf');
  const dataDir = path.join(base, 'data');
  await mkdir(confDir, { recursive: true });
  const files: Record<string, unknown> = {
    'serverConf.json': { port: await freePort(), dataDir, plugins: ['editor'], jobs: { pollIntervalMs: 200 }, outbound: { allowedNetworks: ['127.0.0.1/32'] }, ws: { port: await freePort() } },
    'loggerConf.json': Object.fromEntries(['app', 'ws', 'worker'].map((name) => [name, { fileName: path.join(base, 'logs', `${name}.log`), level: 'warn' }])),
    'databaseConf.json': { database: `bench_${randomBytes(4).toString('hex')}`, embedded: { dataDir: dbDir } },
    'editorConf.json': { proxy: { preset: PROXY_PRESET }, export: EXPORT },
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(confDir, name), JSON.stringify(content, null, 2));
  const serverJs = path.join(rootDir, 'server.js');
  const created = await runNode([serverJs, '--create-application', 'bench', '--scopes', 'editor', '--conf', confDir]);
  if (created.code !== 0) throw new Error(`--create-application exited with ${created.code}:\n${created.stderr}`);
  const { clientSecret } = JSON.parse(created.stdout) as { clientSecret: string };
  const app = await startServerProcess([serverJs, '--conf', confDir]);
  defer(() => app.stop());
  const ws = await startServerProcess([serverJs, '-ws', '--conf', confDir]);
  defer(() => ws.stop());
  return { ws: ws.url, secret: clientSecret, dataDir };
}

/**
 * The editor's media work against the same ffmpeg command lines run bare, in the same run:
 * an import (download, probe, 480x272 proxy as a job) against the proxy command alone, and an export
 * (render job of a timeline with a transition and a title) against its ffmpeg command alone.
 * Ours is measured from the API call to the status saying COMPLETED, so it includes the job queue's pickup,
 * the download and probing; the bare side is the very argument list our fluent-ffmpeg command builds.
 */
export async function editorBench(defer: Defer): Promise<TimingRow[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-media-'));
  defer(() => rm(work, { recursive: true, force: true }));
  process.stderr.write('editor bench: making a 20 s 1280x720 sample…\n');
  const sample = await makeSample({ seconds: 20, width: 1280, height: 720 });
  defer(() => rm(path.dirname(sample), { recursive: true, force: true }));
  const sampleBytes = await readFile(sample);
  const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'video/x-matroska' }).end(sampleBytes));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => server.close(resolve)));
  const sampleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sample.mkv`;

  const platform = await startEditorPlatform(defer);
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${platform.ws}/editor${route}`, {
      method,
      headers: { Authorization: `WEVSIMPLE ${platform.secret}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as any;
  };

  const media = testToolchain();
  const bare = (args: string[]) => run(media.binaries.ffmpeg, ['-y', ...args], { maxBuffer: 64 * 1024 * 1024 });
  const probe = await probeMedia(media, sample);

  let fileId = 0;
  const importOnce = async () => {
    const { tickets } = await api('POST', '/api/4/files/import', { urls: [sampleUrl] });
    const done = await poll(async () => {
      const entry = (await api('GET', `/api/4/files/status/${tickets[0]}`))[tickets[0]];
      return entry.status === 'TICKET_REGISTERED' ? undefined : entry;
    }, 'the import');
    if (done.status !== 'COMPLETED') throw new Error(`import ${done.status}: ${done.error}`);
    fileId = done.fileId;
  };
  const [ourProxy, bareProxy] = await alternate(
    'proxy',
    importOnce,
    () => bare(MediaToolchain.argumentsOf(proxyCommand(media, sample, path.join(work, 'proxy.mp4'), PROXY_PRESET, probe.hasAudio))),
  );

  const tracks = [
    { type: 'video', clips: [{ fileId, in: 0, out: 8000 }, { fileId, in: 10_000, out: 18_000, transition: { type: 'fade', duration: 1000 } }] },
    { type: 'text', texts: [{ text: 'Benchmark', start: 1000, duration: 5000, size: 64, color: '#ffffff' }] },
  ];
  const { timelineId } = await api('POST', '/api/4/timelines', { title: 'Bench', tracks });
  const layout = layOut(timelineInputSchema.parse({ title: 'Bench', tracks }).tracks, new Map<number, LayoutFile>([[fileId, { id: fileId, type: 'video', durationMs: probe.durationMs, hasAudio: probe.hasAudio }]]));
  await writeFile(path.join(work, 'text-0.txt'), 'Benchmark');
  const graph = renderGraph(layout, { media: () => sample, font: () => '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', textFile: (i) => path.join(work, `text-${i}.txt`) }, EXPORT);

  const exportOnce = async () => {
    const { exportId } = await api('POST', `/api/4/timelines/${timelineId}/export`);
    const done = await poll(async () => {
      const state = await api('GET', `/api/4/exports/${exportId}`);
      return state.status === 'COMPLETED' || state.status === 'FAILED' ? state : undefined;
    }, 'the export');
    if (done.status !== 'COMPLETED') throw new Error(`export failed: ${done.error}`);
  };
  const [ourExport, bareExport] = await alternate('export', exportOnce, () => bare(MediaToolchain.argumentsOf(exportCommand(media, graph, path.join(work, 'export.mp4'), layout.durationMs, EXPORT))));

  return [
    { name: `editor import + proxy (20 s 720p, x264 ${PROXY_PRESET})`, oursSeconds: ourProxy, baselineSeconds: bareProxy },
    { name: `editor export render (15 s, fade + title, ${EXPORT.height}p ${EXPORT.preset})`, oursSeconds: ourExport, baselineSeconds: bareExport },
  ];
}

export function printTimings(rows: TimingRow[]): void {
  const header = ['benchmark', 'ours s', 'bare ffmpeg s', 'ratio'];
  const cells = rows.map((row) => [row.name, row.oursSeconds.toFixed(2), row.baselineSeconds.toFixed(2), (row.oursSeconds / row.baselineSeconds).toFixed(3)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  for (const line of [header, ...cells]) {
    process.stdout.write(`${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`);
  }
}
