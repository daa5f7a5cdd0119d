import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { MediaNode, MediaNodeEvents, MediaNodes, MediaNodeStatus } from './mediaNode.js';

/** An engine that forwards media in this very process (werift): one media node, the process, that cannot be added to. */
class ProcessNode implements MediaNode {
  readonly id = `media_${os.hostname()}_process`;
  readonly environmentId = `${os.hostname()}-pid-${process.pid}`;
  readonly ip = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.1';
  readonly uri = `process://${os.hostname()}/${process.pid}`;
  readonly launchingTime = Date.now();
  readonly connectionTime = this.launchingTime;
  status: MediaNodeStatus = 'running';
  private cpu = { at: performance.now(), usage: process.cpuUsage(), load: 0 };

  load(): number {
    const now = performance.now();
    if (now - this.cpu.at >= 1000) {
      const used = process.cpuUsage(this.cpu.usage);
      this.cpu = { at: now, usage: process.cpuUsage(), load: Math.min(100, ((used.user + used.system) / 1000 / (now - this.cpu.at)) * 100) };
    }
    return Math.round(this.cpu.load * 100) / 100;
  }

  extraInfo(): Record<string, unknown> {
    return { engine: 'werift', pid: process.pid };
  }
}

export class ProcessNodes extends EventEmitter<MediaNodeEvents> implements MediaNodes {
  private readonly node = new ProcessNode();

  list(): MediaNode[] {
    return [this.node];
  }

  async add(): Promise<MediaNode> {
    throw new Error('the werift engine forwards media in the web-service process: it has no media node to add');
  }

  async remove(): Promise<void> {
    throw new Error('the werift engine forwards media in the web-service process: its one media node cannot be removed');
  }

  setStatus(_id: string, status: MediaNodeStatus): void {
    const old = this.node.status;
    if (old === status) return;
    this.node.status = status;
    this.emit('statusChanged', this.node, old);
  }
}
