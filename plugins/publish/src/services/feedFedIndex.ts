import type { Logger } from '@mediahost/core';

/** A full reload now and then, should an announcement have been lost (a process that died between its write and the announcement). */
const RECONCILE_EVERY_MS = 3600_000;

/**
 * What a process holds in memory of a collection, so that a request reads no database: loaded with one read when
 * first needed, then kept current by the changes every process announces on a change feed; loaded again when the
 * feed says changes may have been missed, and hourly as a backstop. Changes heard while a load runs are applied on
 * top of what it read, and the figures loaded before are answered meanwhile.
 */
export abstract class FeedFedIndex<Change> {
  private loaded?: Promise<void>;
  private heardDuringLoad: Change[] | null = null;
  private loadedAt = 0;

  constructor(
    protected readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** Reads the collection and swaps the figures in (synchronously, once everything is read). */
  protected abstract read(): Promise<void>;

  /** Applies one change to the figures held. */
  protected abstract apply(change: Change): void;

  /** Resolves once the figures are loaded (the first time) or at once (later). */
  protected ready(): Promise<void> {
    if (!this.loaded) {
      const first = this.load();
      this.loaded = first.catch((error: unknown) => {
        this.loaded = undefined;
        throw error;
      });
    } else if (Date.now() - this.loadedAt > RECONCILE_EVERY_MS) this.reload();
    return this.loaded;
  }

  /** Reads everything again in the background (unless a load runs); the current figures are answered meanwhile. */
  protected reload(): void {
    if (!this.loaded || this.heardDuringLoad) return;
    this.load().catch((error: unknown) => this.logger.warn(`could not reload the ${this.what}`, { error }));
  }

  /** A change from the feed; before the first load there is nothing to change (the load will read its outcome). */
  protected hear(change: Change): void {
    if (!this.loaded) return;
    this.heardDuringLoad?.push(change);
    this.apply(change);
  }

  private async load(): Promise<void> {
    this.heardDuringLoad = [];
    this.loadedAt = Date.now();
    try {
      await this.read();
      for (const change of this.heardDuringLoad) this.apply(change);
    } finally {
      this.heardDuringLoad = null;
    }
  }
}
