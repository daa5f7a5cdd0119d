import type { Logger } from '../log/createLogger.js';

declare const payloadType: unique symbol;

/**
 * An event's name and payload type. The emitting plugin declares it; another plugin subscribes by declaring the same
 * name and type itself, so no plugin imports another.
 */
export interface EventType<P> {
  readonly name: string;
  /** Never set: it only carries P. */
  readonly [payloadType]?: P;
}

export function defineEvent<P>(name: string): EventType<P> {
  return { name };
}

/** A delivered event that no listener took, or that a listener failed to take: the delivering job should run again. */
export class EventDeliveryError extends Error {
  constructor(
    readonly event: string,
    readonly failures: unknown[],
  ) {
    super(
      failures.length === 0
        ? `nobody listens to ${event} in this process`
        : `${failures.length} listener(s) of ${event} failed: ${failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ')}`,
    );
    this.name = 'EventDeliveryError';
  }
}

export type EventListener<P> = (payload: P) => void | Promise<void>;

/**
 * Platform-wide events inside one process. A listener's failure, thrown or rejected, is logged and goes no further:
 * the emitter (an upload, a finished transcode…) must not fail because one of its listeners did.
 */
export class EventBus {
  private readonly listeners = new Map<string, Set<EventListener<never>>>();

  constructor(private readonly logger: Logger) {}

  /** Calls `listener` with every payload emitted for `event`, until the returned function is called. */
  on<P>(event: EventType<P>, listener: EventListener<P>): () => void {
    const listeners = this.listeners.get(event.name) ?? new Set();
    this.listeners.set(event.name, listeners);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  emit<P>(event: EventType<P>, payload: P): void {
    for (const listener of [...(this.listeners.get(event.name) ?? [])] as EventListener<P>[]) {
      try {
        const pending = listener(payload);
        if (pending) pending.catch((error: unknown) => this.failed(event, error));
      } catch (error) {
        this.failed(event, error);
      }
    }
  }

  /**
   * Hands `payload` to every listener of `event` and waits for all of them: it resolves once each has taken it (a
   * listener that must keep the work durably stores it before it returns) and rejects with an
   * `EventDeliveryError` when nobody listens or any listener fails, so that the persisted job that delivers runs
   * again. Listeners of a delivered event must therefore be idempotent: a retried job delivers the same payload again.
   */
  async deliver<P>(event: EventType<P>, payload: P): Promise<void> {
    const listeners = [...(this.listeners.get(event.name) ?? [])] as EventListener<P>[];
    if (listeners.length === 0) throw new EventDeliveryError(event.name, []);
    const settled = await Promise.allSettled(listeners.map(async (listener) => listener(payload)));
    const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failures.length) throw new EventDeliveryError(event.name, failures);
  }

  private failed(event: EventType<unknown>, error: unknown): void {
    this.logger.error(`a listener of ${event.name} failed`, { error });
  }
}
