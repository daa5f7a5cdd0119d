// mediahost entry point: `node server.js` (back office), `node server.js -ws` (web service); see --help.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = dirname(fileURLToPath(import.meta.url));
const entry = new URL('./core/dist/boot/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mediahost is not built yet: run `pnpm install && pnpm build` first.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2), rootDir);
