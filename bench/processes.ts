import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const rootDir = fileURLToPath(new URL('../', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const tail = (text: string) => text.slice(-4000);

export { freePort } from '../test/support/ports.js';

export interface Completed {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node ARGS` to completion. */
export function runNode(args: string[]): Promise<Completed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr = tail(stderr + chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `node ARGS` and resolves once it prints "listening on http://…" (or, for a process that opens no port such
 * as a worker, what `ready` matches; its url is then empty).
 */
export function startServerProcess(args: string[], timeoutMs = 60_000, ready = /listening on (http:\/\/\S+)/): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  };
  let output = '';
  return new Promise((resolve, reject) => {
    // Reject only once the child is gone, so the embedded database never counts it as a live client afterwards.
    const fail = (reason: string) => {
      clearTimeout(timer);
      if (running()) child.kill('SIGKILL');
      void exited.then(() => reject(new Error(`node ${args.join(' ')} ${reason}:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output = tail(output + chunk);
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1] ?? '', pid: child.pid!, stop });
    });
    child.stderr.on('data', (chunk: Buffer) => (output = tail(output + chunk)));
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`));
  });
}
