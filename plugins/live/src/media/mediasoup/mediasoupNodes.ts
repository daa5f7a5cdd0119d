import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { EngineOptions } from '../mediaEngine.js';
import type { MediaNodeEvents, MediaNodes, MediaNodeStatus } from '../mediaNode.js';
import { MediasoupNode } from './mediasoupNode.js';

/**
 * The engine's Workers, one per core unless liveConf.json says otherwise. A Worker that dies is reported (its
 * sessions are closed by the control plane) and replaced by a new one under a new id, as OpenVidu Pro replaces a
 * crashed media node.
 */
export class MediasoupNodes extends EventEmitter<MediaNodeEvents> implements MediaNodes {
  private readonly nodes = new Map<string, MediasoupNode>();
  private sequence = 0;
  private closing = false;
  /** Replacements under way: new endpoints wait for them rather than fail. */
  private readonly replacing = new Set<Promise<unknown>>();

  constructor(
    private readonly workerBin: string,
    private readonly options: EngineOptions,
  ) {
    super();
  }

  async start(): Promise<void> {
    const count = this.options.workers || os.availableParallelism();
    await Promise.all(Array.from({ length: count }, () => this.add()));
  }

  list(): MediasoupNode[] {
    return [...this.nodes.values()];
  }

  get(id: string | undefined): MediasoupNode | undefined {
    return id === undefined ? undefined : this.nodes.get(id);
  }

  /** Waits for the replacement of dead workers, so that an endpoint is not created on nothing. */
  async settled(): Promise<void> {
    while (this.replacing.size) await Promise.allSettled([...this.replacing]);
  }

  async add(environmentId?: string): Promise<MediasoupNode> {
    const number = ++this.sequence;
    const id = `media_${os.hostname()}_${number}`;
    const node = await MediasoupNode.start(id, environmentId ?? `${os.hostname()}-worker-${number}`, this.workerBin, this.options);
    if (this.closing) {
      node.close();
      throw new Error('the engine is closing');
    }
    this.nodes.set(id, node);
    node.worker.once('died', () => this.died(node));
    return node;
  }

  private died(node: MediasoupNode): void {
    if (this.closing || !this.nodes.delete(node.id)) return;
    node.status = 'terminated';
    const replacement = this.add().catch(() => undefined);
    this.replacing.add(replacement);
    void replacement.finally(() => this.replacing.delete(replacement));
    this.emit('crashed', node);
  }

  async remove(id: string): Promise<void> {
    const node = this.nodes.get(id);
    if (!node) return;
    this.nodes.delete(id);
    this.setStatusOf(node, 'terminated');
    node.close();
  }

  setStatus(id: string, status: MediaNodeStatus): void {
    const node = this.nodes.get(id);
    if (node) this.setStatusOf(node, status);
  }

  private setStatusOf(node: MediasoupNode, status: MediaNodeStatus): void {
    const old = node.status;
    if (old === status) return;
    node.status = status;
    this.emit('statusChanged', node, old);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.replacing]);
    for (const node of this.nodes.values()) node.close();
    this.nodes.clear();
  }
}
