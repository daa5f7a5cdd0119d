/**
 * Failed logins per client address in a sliding window, in this process's memory: past the limit the address is
 * refused until its oldest failure leaves the window, which slows password guessing without a shared store.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this address may try again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.maxFailures]! + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    this.failures.set(address, [...this.recent(address), this.now()]);
    if (this.failures.size > 10_000) this.sweep();
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.failures.get(address) ?? []).filter((time) => time > since);
    if (recent.length) this.failures.set(address, recent);
    else this.failures.delete(address);
    return recent;
  }

  private sweep(): void {
    for (const address of [...this.failures.keys()]) this.recent(address);
  }
}
