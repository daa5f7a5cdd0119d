import type http from 'node:http';

/**
 * Once a server stops, every response says Connection: close and its connection is closed as soon as it is sent:
 * keep-alive connections would otherwise hold server.close() until they time out or the shutdown timeout forces them.
 */
export class ClosingConnections {
  private readonly inFlight = new Set<http.ServerResponse>();
  private closing = false;

  constructor(private readonly server: () => http.Server | undefined) {}

  track(res: http.ServerResponse): void {
    if (this.closing) return this.closeAfter(res);
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
  }

  close(): void {
    this.closing = true;
    for (const res of this.inFlight) this.closeAfter(res);
    this.server()?.closeIdleConnections();
  }

  private closeAfter(res: http.ServerResponse): void {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => setImmediate(() => this.server()?.closeIdleConnections()));
  }
}
