import NodeMediaServer from 'node-media-server';
import { freePort } from './ports.js';

/** A real RTMP server on loopback (node-media-server): streams published to `url(name)` can be pulled back from it. */
export async function startRtmpServer(): Promise<{ url(name: string): string; stop(): void }> {
  const port = await freePort();
  const server = new NodeMediaServer({ rtmp: { port, chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 }, http: { port: await freePort(), allow_origin: '*' }, logType: 0 } as never);
  server.run();
  return { url: (name) => `rtmp://127.0.0.1:${port}/live/${name}`, stop: () => server.stop() };
}
