/** What one benchmark started, undone in reverse order once it ends, fails or the run is interrupted. */
export class Cleanups {
  private readonly tasks: (() => Promise<unknown>)[] = [];
  private running: Promise<void> | undefined;

  readonly defer = (task: () => Promise<unknown>): void => {
    this.tasks.push(task);
  };

  /** Runs every task once, even when some fail; calling it again waits for the same run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (let task = this.tasks.pop(); task; task = this.tasks.pop()) {
        await task().catch((error: unknown) => process.stderr.write(`bench cleanup: ${String(error)}\n`));
      }
    })();
    return this.running;
  }
}
