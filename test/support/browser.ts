import { chromium, type Browser } from 'playwright-core';
import { tempDir } from './tempDir.js';

/** Debian's Chromium, headless, with nothing reaching outside the machine. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...extraArgs],
    // PulseAudio's client (fake media streams) makes its runtime folder in TMPDIR without XDG_RUNTIME_DIR: one of the run's own.
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? (await tempDir('chromium-runtime-')) },
  });
}
