import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './processes.js';
import type { Row } from './row.js';
import { terminateUpload, tusUploadFile } from './tusClient.js';
import type { Defer, WebService } from './platformFixture.js';

const UPLOAD_BYTES = 512 * 1024 * 1024;
/** Alternating rounds, best of each kept: one slow round on a shared machine should not decide the ratio. */
const ROUNDS = 2;
const rawUploadServer = fileURLToPath(new URL('./rawUploadServer.ts', import.meta.url));

async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const chunk = 8 * 1024 * 1024;
  async function* chunks() {
    for (let written = 0; written < bytes; written += chunk) yield randomBytes(Math.min(chunk, bytes - written));
  }
  await pipeline(chunks(), createWriteStream(file));
}

/** The baseline client: one PUT streaming the file, as tus-js-client's single PATCH does. */
function putFile(url: string, file: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': size } }, (response) => {
      response.resume();
      response.once('end', () => (response.statusCode! < 300 ? resolve() : reject(new Error(`PUT ${url} answered ${response.statusCode}`))));
    });
    request.once('error', reject);
    pipeline(createReadStream(file), request).catch(reject);
  });
}

async function megabytesPerSecond(bytes: number, upload: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await upload();
  return bytes / 1e6 / ((performance.now() - started) / 1000);
}

/** (a) A 512 MiB file through our tus endpoint against a raw HTTP PUT of the same bytes to a plain node:http server. */
export async function tusUploadBench(defer: Defer, ws: WebService, token: string): Promise<Row> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mediahost-bench-upload-'));
  defer(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'random.bin');
  await writeRandomFile(file, UPLOAD_BYTES);
  const { size } = await stat(file);
  const received = path.join(dir, 'received');
  await mkdir(received);
  const raw = await startServerProcess(['--import', 'tsx', rawUploadServer, received]);
  defer(() => raw.stop());

  let ours = 0;
  let baseline = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`measuring tus upload, round ${round} of ${ROUNDS}…\n`);
    baseline = Math.max(baseline, await megabytesPerSecond(size, () => putFile(`${raw.url}/upload`, file, size)));
    const [written] = await readdir(received);
    if ((await stat(path.join(received, written!))).size !== size) throw new Error('the raw upload server did not receive every byte');
    await rm(path.join(received, written!));

    let uploadUrl = '';
    ours = Math.max(ours, await megabytesPerSecond(size, async () => (uploadUrl = await tusUploadFile(ws.url, token, file))));
    await terminateUpload(uploadUrl, token);
  }
  return { name: 'tus upload 512 MiB (1 PATCH vs PUT)', unit: 'MB/s', ours, baseline, digits: 1 };
}
