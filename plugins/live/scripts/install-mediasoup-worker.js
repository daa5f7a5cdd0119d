// Gets the mediasoup worker now (prebuilt download, or a build from the npm sources: minutes, once), retrying a failed build.
// Exits 0 either way: without a worker the live plugin runs on werift, and says why at start.
import { ensureMediasoupWorker } from '../dist/media/mediasoupWorkerBinary.js';

const progress = (line) => process.stdout.write(`${line}\n`);
const result = await ensureMediasoupWorker(progress, { retryFailed: true });
if ('bin' in result) progress(`live: mediasoup worker ready: ${result.bin}`);
else process.stderr.write(`live: no mediasoup worker, the live plugin will use werift: ${result.reason}\n`);
