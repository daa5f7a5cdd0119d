// Run by scripts/test-prerequisites.js: builds SeaweedFS once (several minutes the first time) before the tests start their clocks.
import { ensureWeedBinary } from './seaweedfsBinary.js';

process.stdout.write(`SeaweedFS: ${await ensureWeedBinary((line) => process.stdout.write(`${line}\n`))}\n`);
