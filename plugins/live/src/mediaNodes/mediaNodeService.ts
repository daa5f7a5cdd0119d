import type { MediaNodeJson } from '../openvidu/responses.js';
import { BadRequestError, ConflictError, NotFoundError } from '@mediahost/core';
import type { MediaNode, MediaNodes, MediaNodeStatus } from '../media/mediaNode.js';
import { mayAccess, type Caller } from '../openvidu/caller.js';
import { MethodNotAllowedError, NotImplementedError } from '../openvidu/httpErrors.js';
import type { Session } from '../sessions/model.js';
import { sessionJson } from '../sessions/sessionJson.js';
import type { SessionRegistry } from '../sessions/sessionRegistry.js';
import type { EventSink } from '../webhooks/openviduEvents.js';
import { leastLoaded } from './nodePlacement.js';

/** What POST /media-nodes takes as the uri of a new worker on this host (remote media-node processes do not exist yet). */
export const LOCAL_WORKER_URI = 'worker://localhost';

export const DELETION_STRATEGIES = ['now', 'if-no-sessions', 'when-no-sessions'] as const;
export type DeletionStrategy = (typeof DELETION_STRATEGIES)[number];

/** PATCH /media-nodes/:id: the transitions OpenVidu Pro allows, from → to. */
const TRANSITIONS: Partial<Record<MediaNodeStatus, MediaNodeStatus[]>> = {
  launching: ['canceled'],
  canceled: ['launching'],
  running: ['waiting-idle-to-terminate', 'terminating'],
  'waiting-idle-to-terminate': ['running', 'terminating'],
};

export interface NodeJsonOptions {
  sessions?: boolean;
  recordings?: boolean;
  extraInfo?: boolean;
}

/**
 * OpenVidu Pro's media nodes over the engine's nodes: where sessions are placed, what the REST API shows and changes,
 * and what a node's death does to its sessions (closed with reason nodeCrashed, as Pro does).
 */
export class MediaNodeService {
  constructor(
    private readonly nodes: MediaNodes,
    private readonly registry: SessionRegistry,
    private readonly sink: EventSink,
  ) {
    nodes.on('crashed', (node) => this.crashed(node));
    nodes.on('statusChanged', (node, oldStatus) => this.sink('mediaNodeStatusChanged', { event: 'mediaNodeStatusChanged', timestamp: Date.now(), ...this.identity(node), newStatus: node.status, oldStatus }));
    registry.on('sessionDestroyed', () => void this.terminateIdle());
  }

  /** The node a session joining for the first time goes to: the one it asked for, else the least loaded. */
  place(session: Session): string | undefined {
    const requested = session.requestedMediaNode && this.nodes.list().find((n) => n.id === session.requestedMediaNode && n.status === 'running');
    return (requested || leastLoaded(this.nodes.list(), (node) => this.sessionsOn(node.id).length))?.id;
  }

  /** POST /sessions with mediaNode: a node that does not exist is a bad parameter. */
  checkRequested(id: string | undefined): void {
    if (id !== undefined && !this.nodes.list().some((n) => n.id === id && n.status === 'running')) throw new BadRequestError(`mediaNode ${id} is not a running Media Node`);
  }

  list(): MediaNode[] {
    return this.nodes.list();
  }

  get(id: string): MediaNode {
    const node = this.nodes.list().find((n) => n.id === id);
    if (!node) throw new NotFoundError(`No Media Node ${id}`);
    return node;
  }

  json(node: MediaNode, caller: Caller, options: NodeJsonOptions = {}): MediaNodeJson {
    const hosted = this.sessionsOn(node.id);
    const visible = hosted.filter((s) => mayAccess(caller, s.owner));
    return {
      ...this.identity(node),
      object: 'mediaNode',
      launchingTime: node.launchingTime,
      connected: node.status !== 'terminated',
      connectionTime: node.connectionTime,
      load: node.load(),
      status: node.status,
      ...(options.sessions ? { sessions: visible.map((s) => sessionJson(s)) } : {}),
      ...(options.recordings
        ? { recordingIds: visible.flatMap((s) => (s.recordingId ? [s.recordingId] : [])), broadcasts: visible.filter((s) => s.broadcasting).map((s) => s.id) }
        : {}),
      ...(options.extraInfo ? { kurentoInfo: node.extraInfo() } : {}),
    };
  }

  async add(body: { uri?: string; environmentId?: string }): Promise<MediaNode> {
    if (body.uri === undefined) throw new NotImplementedError('The cluster is deployed On Premises: the uri of the Media Node is mandatory');
    if (this.nodes.list().some((n) => n.uri === body.uri || (body.environmentId !== undefined && n.environmentId === body.environmentId))) {
      throw new ConflictError(`The Media Node ${body.uri} is already part of the cluster`);
    }
    if (body.uri !== LOCAL_WORKER_URI) throw new NotFoundError(`The Media Node ${body.uri} is not within reach: only ${LOCAL_WORKER_URI} (a new worker on this host) can be added`);
    try {
      return await this.nodes.add(body.environmentId);
    } catch (error) {
      throw new NotFoundError(`The Media Node ${body.uri} could not be started: ${(error as Error).message}`);
    }
  }

  /** DELETE /media-nodes/:id: 'removed', or 'waiting' when it goes once its sessions have ended (when-no-sessions). */
  async remove(id: string, strategy: DeletionStrategy): Promise<'removed' | 'waiting'> {
    const node = this.get(id);
    const hosted = this.sessionsOn(id);
    if (hosted.length && strategy === 'if-no-sessions') throw new ConflictError(`Media Node ${id} hosts ${hosted.length} session(s)`);
    if (hosted.length && strategy === 'when-no-sessions') {
      this.nodes.setStatus(id, 'waiting-idle-to-terminate');
      return 'waiting';
    }
    await this.terminate(node);
    return 'removed';
  }

  /** PATCH /media-nodes/:id: undefined when the status was already that one. */
  async setStatus(id: string, status: MediaNodeStatus): Promise<MediaNode | undefined> {
    const node = this.get(id);
    if (node.status === status) return undefined;
    if (!TRANSITIONS[node.status]?.includes(status)) throw new BadRequestError(`A Media Node cannot go from ${node.status} to ${status}`);
    if (status === 'terminating') {
      const snapshot = { ...this.identityOf(node), status };
      await this.terminate(node);
      return snapshot;
    }
    this.nodes.setStatus(id, status);
    if (status === 'waiting-idle-to-terminate') await this.terminateIdle();
    return node;
  }

  private sessionsOn(nodeId: string): Session[] {
    return this.registry.list().filter((s) => s.mediaNodeId === nodeId);
  }

  private async terminate(node: MediaNode): Promise<void> {
    for (const session of this.sessionsOn(node.id)) this.registry.close(session, 'sessionClosedByServer');
    try {
      await this.nodes.remove(node.id);
    } catch (error) {
      throw new MethodNotAllowedError((error as Error).message);
    }
  }

  private async terminateIdle(): Promise<void> {
    for (const node of this.nodes.list()) {
      if (node.status === 'waiting-idle-to-terminate' && this.sessionsOn(node.id).length === 0) await this.nodes.remove(node.id).catch(() => undefined);
    }
  }

  private crashed(node: MediaNode): void {
    const hosted = this.sessionsOn(node.id);
    this.sink('nodeCrashed', {
      event: 'nodeCrashed',
      timestamp: Date.now(),
      ...this.identity(node),
      sessionIds: hosted.map((s) => s.id),
      recordingIds: hosted.flatMap((s) => (s.recordingId ? [s.recordingId] : [])),
      broadcasts: hosted.filter((s) => s.broadcasting).map((s) => s.id),
    });
    for (const session of hosted) this.registry.close(session, 'nodeCrashed');
  }

  private identity(node: MediaNode) {
    return { id: node.id, environmentId: node.environmentId, ip: node.ip, uri: node.uri };
  }

  /** A frozen copy of a node, for the answer about a node that is going away. */
  private identityOf(node: MediaNode): MediaNode {
    const load = node.load();
    return { ...this.identity(node), launchingTime: node.launchingTime, connectionTime: node.connectionTime, status: node.status, load: () => load, extraInfo: () => node.extraInfo() };
  }
}
