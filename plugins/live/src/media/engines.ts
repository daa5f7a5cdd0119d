import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { EngineAvailability, MediaEngine } from './mediaEngine.js';
import { WeriftEngine } from './weriftEngine.js';

const require = createRequire(import.meta.url);

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * mediasoup needs its C++ worker, which its postinstall downloads or builds from outside the reachable registries:
 * it is looked for at MEDIASOUP_WORKER_BIN or in an installed mediasoup package, and reported missing otherwise.
 * No mediasoup engine is built into this plugin yet, so even a present worker is reported as not usable.
 */
export function mediasoupAvailability(env: NodeJS.ProcessEnv = process.env): EngineAvailability {
  let worker = env.MEDIASOUP_WORKER_BIN;
  if (!worker) {
    try {
      worker = path.join(path.dirname(require.resolve('mediasoup/package.json')), 'worker', 'out', 'Release', 'mediasoup-worker');
    } catch {
      return { name: 'mediasoup', available: false, reason: 'the mediasoup package is not installed and MEDIASOUP_WORKER_BIN is not set' };
    }
  }
  if (!executable(worker)) return { name: 'mediasoup', available: false, reason: `no executable mediasoup worker at ${worker}` };
  return { name: 'mediasoup', available: false, reason: `a worker is present at ${worker}, but this build has no mediasoup engine adapter` };
}

export function weriftAvailability(): EngineAvailability {
  return { name: 'werift', available: true, create: async () => new WeriftEngine() };
}

export function engineAvailabilities(): EngineAvailability[] {
  return [mediasoupAvailability(), weriftAvailability()];
}

/** The engine liveConf.json asks for; auto prefers mediasoup when usable. */
export async function selectEngine(choice: 'auto' | 'werift' | 'mediasoup'): Promise<{ engine: MediaEngine; skipped: EngineAvailability[] }> {
  const all = engineAvailabilities();
  const wanted = choice === 'auto' ? all : all.filter((a) => a.name === choice);
  const chosen = wanted.find((a) => a.available && a.create);
  if (!chosen) throw new Error(`No usable media engine for "${choice}": ${wanted.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
  return { engine: await chosen.create!(), skipped: all.filter((a) => a !== chosen && !a.available) };
}
