import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Remembers a server process a test started until it exits, so the run can end it if the test did not. */
export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Kills the server processes still running when the run ends (a test that lost track of one it restarted), so they
 * neither outlive the run nor keep its database alive; returns their command lines for the warning.
 */
export async function killLeftovers(): Promise<string[]> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return left.map((child) => child.spawnargs.slice(1).join(' '));
}
