import type { EngineAvailability, EngineOptions, MediaEngine } from './mediaEngine.js';
import { findMediasoupWorker } from './mediasoupWorkerBinary.js';
import { WeriftEngine } from './weriftEngine.js';

/** mediasoup is usable when its worker is there (MEDIASOUP_WORKER_BIN, installed, downloaded or built: mediasoupWorkerBinary.ts). */
export function mediasoupAvailability(env: NodeJS.ProcessEnv = process.env): EngineAvailability {
  const worker = findMediasoupWorker(env);
  if ('reason' in worker) return { name: 'mediasoup', available: false, reason: worker.reason };
  return {
    name: 'mediasoup',
    available: true,
    // Loaded only when chosen: the werift-only case does not pay for it.
    create: async (options) => (await import('./mediasoup/mediasoupEngine.js')).MediasoupEngine.create(worker.bin, options),
  };
}

export function weriftAvailability(): EngineAvailability {
  return { name: 'werift', available: true, create: async () => new WeriftEngine() };
}

export function engineAvailabilities(env: NodeJS.ProcessEnv = process.env): EngineAvailability[] {
  return [mediasoupAvailability(env), weriftAvailability()];
}

/** The engine liveConf.json asks for; auto prefers mediasoup when usable. */
export async function selectEngine(
  choice: 'auto' | 'werift' | 'mediasoup',
  env: NodeJS.ProcessEnv = process.env,
  options: EngineOptions = {},
): Promise<{ engine: MediaEngine; skipped: EngineAvailability[] }> {
  const all = engineAvailabilities(env);
  const wanted = choice === 'auto' ? all : all.filter((a) => a.name === choice);
  const chosen = wanted.find((a) => a.available && a.create);
  if (!chosen) throw new Error(`No usable media engine for "${choice}": ${wanted.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
  return { engine: await chosen.create!(options), skipped: all.filter((a) => a !== chosen && !a.available) };
}
