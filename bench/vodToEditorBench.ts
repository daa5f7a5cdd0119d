import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeSample } from '../test/support/media.js';
import { uploadFile } from '../test/support/tusUpload.js';
import { wevSimpleClient } from '../test/support/wev.js';
import { bearerToken, startPlatform, type Defer } from './platformFixture.js';
import { poll } from './poll.js';
import type { Row } from './row.js';

const ROUNDS = 4;

/**
 * VOD to the editor: the time from `POST /editor/api/4/files/import` to the ticket's COMPLETED for a published video
 * named by its player URL (read from publish's storage), against the same import of the same file served over HTTP by
 * a local server (downloaded, then the same probe and proxy). Alternated over ROUNDS, each side first in turn; the best of each.
 */
export async function vodToEditorBench(defer: Defer): Promise<Row[]> {
  process.stderr.write('vod to editor bench: a 60 s 1280x720 sample at 8 Mb/s…\n');
  const sample = await makeSample({ seconds: 60, width: 1280, height: 720, videoKbps: 8000 });
  defer(() => rm(path.dirname(sample), { recursive: true, force: true }));
  const bytes = await readFile(sample);
  const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'video/x-matroska', 'Content-Length': bytes.length }).end(bytes));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => server.close(resolve)));
  const overHttp = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sample.mkv`;

  const platform = await startPlatform(defer, {
    plugins: ['publish', 'editor'],
    scopes: ['publish', 'editor'],
    backOffice: true,
    server: { outbound: { allowedNetworks: ['127.0.0.1/32'] }, jobs: { pollIntervalMs: 200 } },
    confFiles: {
      'publishConf.json': { qualities: [{ name: '240p', height: 240, videoBitrateKbps: 300 }], preset: 'ultrafast', thumbnails: { count: 1, width: 160 } },
      'editorConf.json': { proxy: { preset: 'veryfast' } },
    },
  });
  const auth = { Authorization: `Bearer ${await bearerToken(platform)}` };
  const uploaded = await uploadFile(platform.url, auth, bytes, 'bench.mkv');
  const id = (uploaded.body as { UUID: string }).UUID;
  await poll(async () => {
    const { entity } = (await (await fetch(`${platform.url}/publish/videos/${id}`, { headers: auth })).json()) as { entity?: { state: number } };
    return entity?.state === 11 ? true : undefined;
  }, 'the published video');
  const published = `${platform.appUrl}/publish/v/${id}`;

  const wev = wevSimpleClient(`${platform.url}/editor`, platform.clientSecret);
  const importSeconds = async (url: string) => {
    const started = process.hrtime.bigint();
    const answer = await wev('POST', '/api/4/files/import', { urls: [url] });
    if (answer.status !== 200) throw new Error(`import answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const ticket = (answer.body as { tickets: string[] }).tickets[0]!;
    const status = await poll(async () => {
      const entry = ((await wev('GET', `/api/4/files/status/${ticket}`)).body as Record<string, { status: string; error?: string }>)[ticket]!;
      return entry.status === 'TICKET_REGISTERED' ? undefined : entry;
    }, `ticket ${ticket}`);
    if (status.status !== 'COMPLETED') throw new Error(`import of ${url} ${status.status}: ${status.error}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const times = { stored: [] as number[], http: [] as number[] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    // each side goes first in every other round, so neither always runs right after the other's encode
    const sides = [
      async () => times.http.push(await importSeconds(overHttp)),
      async () => times.stored.push(await importSeconds(published)),
    ];
    if (round % 2 === 0) sides.reverse();
    for (const side of sides) await side();
  }
  return [{ name: 'VOD to editor: import by publish URL, 60 s 720p (baseline: same file over HTTP)', unit: 's', ours: Math.min(...times.stored), baseline: Math.min(...times.http), digits: 2 }];
}
