import { spawn, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import { RtspServer } from 'rtsp-streaming-server';
import { freePort } from './ports.js';

export interface RtspCamera {
  /** Where a client reads the camera: rtsp://127.0.0.1:<port>/cam */
  url: string;
  /** The camera drops: its publisher stops, the server's mount goes away. */
  stop(): Promise<void>;
  /** The camera comes back on the same URL. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An IP camera on loopback: a real RTSP server (rtsp-streaming-server, RTP over UDP as many cameras do) into which
 * ffmpeg publishes a moving test pattern with a tone, as H.264/AAC.
 */
export async function rtspCamera(): Promise<RtspCamera> {
  const publishPort = await freePort();
  const clientPort = await freePort();
  // The server hands out RTP ports from its own range: one chosen at random keeps parallel runs apart.
  const rtpPortStart = 20_000 + 2 * Math.floor(Math.random() * 10_000);
  const server = new RtspServer({ serverPort: publishPort, clientPort, rtpPortStart, rtpPortCount: 200 });
  await server.start();
  let publisher: ChildProcess | undefined;
  const start = async () => {
    publisher = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '64k',
      '-f', 'rtsp', `rtsp://127.0.0.1:${publishPort}/cam`,
    ], { stdio: ['ignore', 'ignore', 'ignore'] });
    // The mount exists once the publisher's RECORD went through.
    const deadline = Date.now() + 10_000;
    while (!hasMount()) {
      if (Date.now() > deadline) throw new Error('the RTSP publisher did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stop = async () => {
    const running = publisher;
    publisher = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      // On SIGINT ffmpeg ends its RTSP session (TEARDOWN), which is what frees the server's mount.
      running.kill('SIGINT');
    });
    const deadline = Date.now() + 10_000;
    while (hasMount() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  const hasMount = () => server.Mounts.getMount(`rtsp://127.0.0.1:${publishPort}/cam`) !== undefined;
  await start();
  return {
    url: `rtsp://127.0.0.1:${clientPort}/cam`,
    start,
    stop,
    close: async () => {
      await stop();
      for (const side of [server.ClientServer, server.PublishServer] as unknown as { server: net.Server }[]) {
        await new Promise<void>((resolve) => side.server.close(() => resolve()));
      }
    },
  };
}
