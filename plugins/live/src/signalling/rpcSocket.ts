import type { WebSocket } from 'ws';
import type { Logger } from '@mediahost/core';
import { RpcError } from './rpcError.js';

interface RpcRequest {
  jsonrpc?: string;
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
}

export type RpcHandler = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/**
 * JSON-RPC 2.0 over one WebSocket as openvidu-browser's client speaks it: every result object carries the
 * RPC session id, a non-object result travels as {value}, notifications have no id.
 */
export class RpcSocket {
  private handler?: RpcHandler;

  constructor(
    private readonly socket: WebSocket,
    /** Changes when this socket resumes an earlier RPC session (method connect). */
    public rpcSessionId: string,
    private readonly logger: Logger,
  ) {}

  /** Hands the socket's next requests to another handler (a resumed participant's). */
  handOver(handler: RpcHandler): void {
    this.handler = handler;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  listen(handler: RpcHandler): void {
    this.handler = handler;
    const socket = this.socket;
    socket.on('message', (data) => {
      let request: RpcRequest;
      try {
        request = JSON.parse(String(data)) as RpcRequest;
      } catch {
        return this.send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      }
      if (typeof request.method !== 'string') return;
      this.handler!(request.method, request.params ?? {}).then(
        (result) => this.reply(request.id, result),
        (error: unknown) => {
          if (!(error instanceof RpcError)) this.logger.error('signalling method failed', { method: request.method, error });
          const rpc = error instanceof RpcError ? error : new RpcError(500, (error as Error).message ?? 'Internal error');
          if (request.id !== undefined) this.send({ jsonrpc: '2.0', id: request.id, error: { code: rpc.code, message: rpc.message, data: rpc.data } });
        },
      );
    });
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  close(code = 1000, reason = ''): void {
    this.socket.close(code, reason);
  }

  private reply(id: RpcRequest['id'], result: unknown): void {
    if (id === undefined) return;
    const body = result && typeof result === 'object' && !Array.isArray(result) ? { ...result, sessionId: this.rpcSessionId } : { value: result, sessionId: this.rpcSessionId };
    this.send({ jsonrpc: '2.0', id, result: body });
  }

  private send(message: unknown): void {
    if (this.open) this.socket.send(JSON.stringify(message));
  }
}
