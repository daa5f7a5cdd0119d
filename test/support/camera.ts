import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeSample } from './media.js';

/** An IP camera on loopback: an HTTP server streaming a generated Matroska sample (one color if asked) at /camera.mkv. */
export async function loopbackCamera(seconds = 60, color?: string): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const sample = await makeSample({ seconds, width: 320, height: 240, color });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-matroska' });
    createReadStream(sample).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/camera.mkv`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
