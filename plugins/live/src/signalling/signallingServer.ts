import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@mediahost/core';
import { WebSocketServer } from 'ws';
import { Participant, type ParticipantDeps } from './participant.js';
import { RpcSocket } from './rpcSocket.js';

/** How long a participant whose socket dropped keeps its place before it is evicted with networkDisconnect. */
const RECONNECTION_GRACE_MS = 10_000;

/** The /openvidu WebSocket that openvidu-browser opens on the token's host:port. */
export class SignallingServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly participants = new Set<Participant>();

  constructor(
    private readonly deps: Omit<ParticipantDeps, 'ip'>,
    private readonly logger: Logger,
  ) {}

  readonly upgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/openvidu' && url.pathname !== '/openvidu/') return false;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const rpc = new RpcSocket(ws, randomUUID(), this.logger);
      const participant = new Participant(rpc, { ...this.deps, ip: request.socket.remoteAddress ?? '' });
      this.participants.add(participant);
      rpc.listen(participant.handle);
      ws.on('close', () => {
        this.participants.delete(participant);
        const { session, connection } = participant;
        if (!session || !connection || participant.left) return;
        setTimeout(() => this.deps.registry.removeConnection(session, connection, 'networkDisconnect'), RECONNECTION_GRACE_MS).unref();
      });
      ws.on('error', (error) => this.logger.debug('signalling socket error', { error }));
    });
    return true;
  };

  close(): void {
    for (const participant of this.participants) participant.rpc.close(1001, 'server stopping');
    this.wss.close();
  }
}
