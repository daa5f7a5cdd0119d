// `pnpm start`: the back office and the web service side by side, each in its own process, stopped together.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverJs = fileURLToPath(new URL('../server.js', import.meta.url));
const extra = process.argv.slice(2);
const children = [[], ['-ws']].map((flags) => spawn(process.execPath, [serverJs, ...flags, ...extra], { stdio: 'inherit' }));

let stopping = false;
function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

let exitCode = 0;
await Promise.all(
  children.map(
    (child) =>
      new Promise((resolve) =>
        child.on('exit', (code) => {
          if (code) exitCode = code;
          stopAll('SIGTERM');
          resolve();
        }),
      ),
  ),
);
process.exit(exitCode);
