import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { basic, request, type JsonResponse } from './http.js';
import type { TestConf } from './platform.js';

export const OPENVIDU_SECRET = 'live-test-secret';

/** Calls the live port's OpenVidu API with OPENVIDUAPP credentials (or the given Authorization). */
export function openviduApi(liveUrl: string, authorization = basic('OPENVIDUAPP', OPENVIDU_SECRET)) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> =>
    request(`${liveUrl}${path}`, {
      method,
      headers: { Authorization: authorization, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
}

/** liveConf.json on the conf's live port with the test secret; returns the live port's URL. */
export async function writeLiveConf(conf: TestConf, extra: Record<string, unknown> = {}): Promise<string> {
  const url = `http://127.0.0.1:${conf.livePort}`;
  await writeFile(path.join(conf.confDir, 'liveConf.json'), JSON.stringify({ port: conf.livePort, host: '127.0.0.1', secret: OPENVIDU_SECRET, publicUrl: url, ...extra }, null, 2));
  return url;
}
