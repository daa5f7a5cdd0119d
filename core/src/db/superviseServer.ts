/** How often a process checks that the shared database server is still there: a crash costs about this much more. */
export const SUPERVISION_INTERVAL_MS = 1000;

export interface SupervisorOptions {
  isDown(): Promise<boolean>;
  restart(): Promise<void>;
  onError(error: unknown): void;
  intervalMs?: number;
}

export interface Supervisor {
  /** Stops checking; resolves once a restart under way has finished. */
  stop(): Promise<void>;
}

/** Checks a server at an interval and restarts it when it is down; never two checks at once, never keeps the process alive. */
export function superviseServer({ isDown, restart, onError, intervalMs = SUPERVISION_INTERVAL_MS }: SupervisorOptions): Supervisor {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const check = async () => {
    try {
      if (!stopped && (await isDown()) && !stopped) await restart();
    } catch (error) {
      onError(error);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = check().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
