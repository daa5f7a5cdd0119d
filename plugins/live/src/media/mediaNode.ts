import { EventEmitter } from 'node:events';

/** OpenVidu Pro's Media Node statuses (the ones a node here goes through). */
export type MediaNodeStatus = 'launching' | 'canceled' | 'running' | 'waiting-idle-to-terminate' | 'terminating' | 'terminated';

/** One place media are forwarded: a mediasoup Worker, or the process itself for werift. */
export interface MediaNode {
  readonly id: string;
  readonly environmentId: string;
  readonly ip: string;
  readonly uri: string;
  readonly launchingTime: number;
  readonly connectionTime: number;
  readonly status: MediaNodeStatus;
  /** CPU load of the node, 0.00–100.00 (of one core), over the last sampling interval. */
  load(): number;
  /** GET /media-nodes?extra-info=true: what the engine knows of its process. */
  extraInfo(): Record<string, unknown>;
}

export interface MediaNodeEvents {
  /** The node's process died: its media are gone (a replacement, if the engine has one, is on its way). */
  crashed: [node: MediaNode];
  statusChanged: [node: MediaNode, oldStatus: MediaNodeStatus];
}

/** The nodes of an engine. The control plane places sessions on them (media/nodePlacement.ts). */
export interface MediaNodes extends EventEmitter<MediaNodeEvents> {
  list(): MediaNode[];
  /** Starts one more node (POST /media-nodes); rejects with a reason when the engine cannot. */
  add(environmentId?: string): Promise<MediaNode>;
  /** Stops a node and forgets it; its media go with it. */
  remove(id: string): Promise<void>;
  /** Sets a status the control plane decides (waiting-idle-to-terminate, running again). */
  setStatus(id: string, status: MediaNodeStatus): void;
}
