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
