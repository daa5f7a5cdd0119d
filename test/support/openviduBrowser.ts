import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';

const require = createRequire(import.meta.url);

/** Fake camera and microphone, no permission prompt, real host addresses in ICE candidates. */
export const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'];

/** Serves a blank page with openvidu-browser's own browser build (from its npm package) as window.OpenVidu. */
export async function openviduPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const packageDir = path.dirname(require.resolve('openvidu-browser/package.json'));
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const bundle = await readFile(path.join(packageDir, 'static', 'js', `openvidu-browser-${version}.js`));
  const server = http.createServer((req, res) => {
    if (req.url === '/openvidu-browser.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><body><script src="/openvidu-browser.js"></script></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function launchMediaBrowser(): Promise<Browser> {
  return launchBrowser(MEDIA_ARGS);
}

/** A fresh page (own context: its own participant) with OpenVidu loaded and a place to keep state in (window.t). */
export async function participantPage(browser: Browser, pageUrl: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => typeof (window as unknown as { OpenVidu?: unknown }).OpenVidu === 'function');
  await page.evaluate(() => {
    const w = window as unknown as { t: Record<string, unknown>; OpenVidu: new () => { enableProdMode(): void } };
    w.t = { events: [] as unknown[], signals: [] as unknown[] };
  });
  return page;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type W = any;

/** Joins the session in the page with openvidu-browser; records the session events in window.t. */
export async function join(page: Page, token: string, clientData: string): Promise<string> {
  return page.evaluate(
    async ({ token, clientData }) => {
      const w = window as W;
      const OV = new w.OpenVidu();
      OV.enableProdMode();
      const session = OV.initSession();
      w.t.OV = OV;
      w.t.session = session;
      for (const name of ['connectionCreated', 'connectionDestroyed', 'streamCreated', 'streamDestroyed', 'sessionDisconnected', 'connectionPropertyChanged', 'streamPropertyChanged']) {
        session.on(name, (event: W) => w.t.events.push({ type: name, reason: event.reason, connectionId: event.connection?.connectionId ?? event.stream?.connection?.connectionId, property: event.changedProperty }));
      }
      session.on('signal', (event: W) => w.t.signals.push({ type: event.type, data: event.data, from: event.from?.connectionId ?? null }));
      await session.connect(token, clientData);
      return session.connection.connectionId as string;
    },
    { token, clientData },
  );
}

export async function publish(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const w = window as W;
    const publisher = await w.t.OV.initPublisherAsync(undefined, { audioSource: undefined, videoSource: undefined, publishAudio: true, publishVideo: true, resolution: '320x240', frameRate: 15, insertMode: 'APPEND' });
    publisher.on('streamDestroyed', (event: W) => w.t.events.push({ type: 'publisherStreamDestroyed', reason: event.reason }));
    await w.t.session.publish(publisher);
    w.t.publisher = publisher;
    return publisher.stream.streamId as string;
  });
}


/** Subscribes to the first remote stream and counts the video frames it decodes. */
export async function subscribeFirstStream(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const w = window as W;
    const started = Date.now();
    while (w.t.session.remoteStreamsCreated.size === 0 && Date.now() - started < 20000) await new Promise((r) => setTimeout(r, 100));
    const stream = [...w.t.session.remoteConnections.values()].map((c: W) => c.stream).find(Boolean);
    if (!stream) throw new Error('no remote stream to subscribe to');
    const subscriber = await w.t.session.subscribeAsync(stream, undefined);
    w.t.subscriber = subscriber;
  });
}

export const audioPackets = (page: Page) =>
  page.evaluate(async () => {
    const w = window as W;
    const pc = w.t.subscriber?.stream?.getRTCPeerConnection();
    let packets = 0;
    (await pc.getStats()).forEach((report: W) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') packets = report.packetsReceived ?? 0;
    });
    return packets as number;
  });

export const framesDecoded = (page: Page) =>
  page.evaluate(async () => {
    const w = window as W;
    const pc = w.t.subscriber?.stream?.getRTCPeerConnection();
    if (!pc) return 0;
    let frames = 0;
    (await pc.getStats()).forEach((report: W) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video') frames = report.framesDecoded ?? 0;
    });
    return frames as number;
  });

