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
  /** Participants whose socket dropped, by RPC session id, until their grace period ends. */
  private readonly dropped = new Map<string, { participant: Participant; timer: NodeJS.Timeout }>();

  constructor(
    private readonly deps: Omit<ParticipantDeps, 'ip'>,
    private readonly logger: Logger,
  ) {}

  readonly upgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/openvidu' && url.pathname !== '/openvidu/') return false;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const rpc = new RpcSocket(ws, randomUUID(), this.logger);
      // The socket's participant: a new one, or the one it resumes with "connect".
      let participant: Participant = new Participant(rpc, { ...this.deps, ip: request.socket.remoteAddress ?? '' }, (rpcSessionId: string, newRpc: RpcSocket): Participant | undefined => {
        const dropped = this.dropped.get(rpcSessionId);
        if (!dropped || dropped.participant.left) return undefined;
        clearTimeout(dropped.timer);
        this.dropped.delete(rpcSessionId);
        this.participants.delete(participant);
        participant = dropped.participant;
        participant.rpc = newRpc;
        newRpc.rpcSessionId = rpcSessionId;
        newRpc.handOver(participant.handle);
        this.participants.add(participant);
        return participant;
      });
      this.participants.add(participant);
      rpc.listen(participant.handle);
      ws.on('close', () => {
        if (participant.rpc !== rpc) return;
        this.participants.delete(participant);
        const { session, connection } = participant;
        if (!session || !connection || participant.left) return;
        const timer = setTimeout(() => {
          this.dropped.delete(rpc.rpcSessionId);
          this.deps.registry.removeConnection(session, connection, 'networkDisconnect');
        }, RECONNECTION_GRACE_MS);
        timer.unref();
        this.dropped.set(rpc.rpcSessionId, { participant, timer });
      });
      ws.on('error', (error) => this.logger.debug('signalling socket error', { error }));
    });
    return true;
  };

  close(): void {
    for (const { timer } of this.dropped.values()) clearTimeout(timer);
    this.dropped.clear();
    for (const participant of this.participants) participant.rpc.close(1001, 'server stopping');
    this.wss.close();
  }
}
