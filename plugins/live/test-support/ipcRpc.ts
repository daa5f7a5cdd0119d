import type { ChildProcess } from 'node:child_process';

/** Request/response over a child process's IPC channel (either side), for the bench's helper processes. */
type Message = { rpc: 'call'; id: number; method: string; params: unknown } | { rpc: 'reply'; id: number; result?: unknown; error?: string } | { rpc: 'event'; name: string; params: unknown };
type Channel = Pick<ChildProcess, 'send' | 'on'> | NodeJS.Process;

export class IpcRpc {
  private sequence = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly methods = new Map<string, (params: never) => unknown>();
  private readonly listeners = new Map<string, (params: never) => void>();

  constructor(private readonly channel: Channel) {
    channel.on('message', (message: Message) => void this.receive(message));
  }

  handle<P>(method: string, fn: (params: P) => unknown): this {
    this.methods.set(method, fn as (params: never) => unknown);
    return this;
  }

  onEvent<P>(name: string, fn: (params: P) => void): this {
    this.listeners.set(name, fn as (params: never) => void);
    return this;
  }

  call<R>(method: string, params: unknown = {}): Promise<R> {
    const id = ++this.sequence;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.channel.send!({ rpc: 'call', id, method, params });
    });
  }

  emit(name: string, params: unknown): void {
    this.channel.send!({ rpc: 'event', name, params });
  }

  private async receive(message: Message): Promise<void> {
    if (message.rpc === 'reply') {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result);
    } else if (message.rpc === 'event') this.listeners.get(message.name)?.(message.params as never);
    else {
      try {
        const method = this.methods.get(message.method);
        if (!method) throw new Error(`no method ${message.method}`);
        this.channel.send!({ rpc: 'reply', id: message.id, result: await method(message.params as never) });
      } catch (error) {
        this.channel.send!({ rpc: 'reply', id: message.id, error: (error as Error).message });
      }
    }
  }
}
